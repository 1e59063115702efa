/**
 * Reassembles a PublishWeights stream: metadata in the first chunk, chunks at contiguous offsets,
 * exactly size_bytes in total, within the configured limit. Every violation names itself.
 */
import type { WeightsChunk__Output, WeightsMetadata__Output } from '@reverie/transport';
import { invalidArgument, resourceExhausted } from '../errors.js';

export class WeightsUpload {
  private metadata?: WeightsMetadata__Output;
  private buffer?: Uint8Array;
  private received = 0;

  constructor(private readonly maxBytes: number) {}

  accept(chunk: WeightsChunk__Output): void {
    if (!this.metadata) this.begin(chunk.metadata);
    else if (chunk.metadata) throw invalidArgument('only the first weights chunk may carry metadata');
    const data = chunk.data ?? new Uint8Array(0);
    if (chunk.offset !== this.received) {
      throw invalidArgument(`weights chunk at offset ${chunk.offset}, expected ${this.received} (chunks must be contiguous)`);
    }
    const buffer = this.buffer!;
    if (this.received + data.byteLength > buffer.byteLength) {
      throw invalidArgument(`weights chunks exceed the declared size_bytes ${buffer.byteLength}`);
    }
    buffer.set(data, this.received);
    this.received += data.byteLength;
  }

  private begin(metadata: WeightsMetadata__Output | null): void {
    if (!metadata || !metadata.policy) throw invalidArgument('the first weights chunk must carry metadata with a policy');
    if (!/^[0-9a-f]{64}$/.test(metadata.sha256)) throw invalidArgument('weights metadata needs sha256 (64 lowercase hex digits)');
    const size = metadata.sizeBytes;
    if (!Number.isSafeInteger(size) || size <= 0) throw invalidArgument(`weights metadata needs size_bytes > 0, got ${size}`);
    if (size > this.maxBytes) {
      throw resourceExhausted(`weights of ${size} bytes exceed the server's limit of ${this.maxBytes} bytes (maxWeightsBytes)`);
    }
    this.metadata = metadata;
    this.buffer = new Uint8Array(size);
  }

  /** The complete payload; throws when the stream ended early. */
  finish(): { metadata: WeightsMetadata__Output; bytes: Uint8Array } {
    if (!this.metadata || !this.buffer) throw invalidArgument('PublishWeights stream carried no chunks');
    if (this.received !== this.buffer.byteLength) {
      throw invalidArgument(`weights stream ended after ${this.received} of the declared ${this.buffer.byteLength} bytes`);
    }
    return { metadata: this.metadata, bytes: this.buffer };
  }
}
