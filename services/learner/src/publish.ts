/**
 * A WeightsPublisher that streams the policy file to the model-server's ModelService.PublishWeights
 * in 1 MiB chunks (metadata in the first), with the bearer token the model-server requires.
 */
import {
  bearerMetadata,
  createClient,
  type ClientTls,
  type ModelServiceClient,
  type WeightsChunk,
  type WeightsMetadata,
  type WeightsMetadata__Output,
  type WeightsPublisher,
} from '@reverie/transport';

export const PUBLISH_CHUNK_BYTES = 1 << 20;

export interface GrpcPublisherOptions {
  token?: string;
  tls?: ClientTls;
  /** Per publish (default 30 s). */
  timeoutMs?: number;
  chunkBytes?: number;
}

export class ModelServerPublisher implements WeightsPublisher {
  private readonly client: ModelServiceClient;

  constructor(readonly target: string, private readonly opts: GrpcPublisherOptions = {}) {
    this.client = createClient('ModelService', target, { tls: opts.tls, token: opts.token });
  }

  publish(metadata: WeightsMetadata, bytes: Uint8Array): Promise<WeightsMetadata__Output> {
    const chunkBytes = this.opts.chunkBytes ?? PUBLISH_CHUNK_BYTES;
    const deadline = Date.now() + (this.opts.timeoutMs ?? 30_000);
    return new Promise((resolve, reject) => {
      const done = (err: Error | null, res?: { metadata: WeightsMetadata__Output | null }): void => {
        if (err) reject(new Error(`PublishWeights to ${this.target} failed: ${err.message}`));
        else if (!res?.metadata) reject(new Error(`PublishWeights to ${this.target} returned no metadata`));
        else resolve(res.metadata);
      };
      // Over TLS the client attaches the token itself; on plaintext it goes in the call metadata.
      const call = this.opts.token !== undefined && this.opts.tls === undefined
        ? this.client.PublishWeights(bearerMetadata(this.opts.token), { deadline }, done)
        : this.client.PublishWeights({ deadline }, done);
      void (async () => {
        for (let offset = 0; offset === 0 || offset < bytes.byteLength; offset += chunkBytes) {
          const chunk: WeightsChunk = { offset, data: bytes.subarray(offset, offset + chunkBytes) };
          if (offset === 0) chunk.metadata = metadata;
          if (!call.write(chunk)) await new Promise((r) => call.once('drain', r));
        }
        call.end();
      })();
    });
  }

  close(): void {
    this.client.close();
  }
}
