/**
 * A WeightsPublisher that uploads to a model-server's PublishWeights in 1 MiB chunks, with the
 * bearer token. The learner uses it when the model-server runs in another process.
 */
import {
  bearerMetadata,
  createClient,
  sha256Hex,
  type ClientTls,
  type ModelServiceClient,
  type WeightsMetadata,
  type WeightsMetadata__Output,
  type WeightsPublisher,
} from '@reverie/transport';
import { WEIGHTS_CHUNK_BYTES } from './modelService.js';

export interface GrpcWeightsPublisherOptions {
  tls?: ClientTls;
  token?: string;
  /** Per publish (default 60 s). */
  deadlineMs?: number;
  chunkBytes?: number;
}

export class GrpcWeightsPublisher implements WeightsPublisher {
  readonly client: ModelServiceClient;

  constructor(
    target: string,
    private readonly opts: GrpcWeightsPublisherOptions = {},
  ) {
    this.client = createClient('ModelService', target, { tls: opts.tls, token: opts.token });
  }

  publish(metadata: WeightsMetadata, bytes: Uint8Array): Promise<WeightsMetadata__Output> {
    const full: WeightsMetadata = { ...metadata, sha256: sha256Hex(bytes), sizeBytes: bytes.byteLength };
    // over TLS the token travels as call credentials; on plaintext loopback it goes in the metadata
    const md = this.opts.token && !this.opts.tls ? bearerMetadata(this.opts.token) : undefined;
    const deadline = Date.now() + (this.opts.deadlineMs ?? 60_000);
    return new Promise((resolve, reject) => {
      const done = (err: Error | null, res?: { metadata: WeightsMetadata__Output | null }): void => {
        if (err) reject(err);
        else if (!res?.metadata) reject(new Error('PublishWeights answered without metadata'));
        else resolve(res.metadata);
      };
      const call = md ? this.client.PublishWeights(md, { deadline }, done) : this.client.PublishWeights({ deadline }, done);
      void this.upload(call, full, bytes).catch(() => undefined); // failures arrive through done
    });
  }

  private async upload(
    call: ReturnType<ModelServiceClient['PublishWeights']>,
    metadata: WeightsMetadata,
    bytes: Uint8Array,
  ): Promise<void> {
    const step = this.opts.chunkBytes ?? WEIGHTS_CHUNK_BYTES;
    // the server may answer (refuse) before the upload is done: stop writing then
    let answered = false;
    const onStatus = (): void => {
      answered = true;
    };
    call.once('status', onStatus);
    const writable = (): Promise<void> =>
      new Promise((resolve) => {
        const done = (): void => {
          call.off('drain', done);
          call.off('status', done);
          resolve();
        };
        call.on('drain', done);
        call.on('status', done);
      });
    for (let offset = 0; offset < bytes.byteLength && !answered; offset += step) {
      const data = bytes.subarray(offset, offset + step);
      if (!call.write(offset === 0 ? { metadata, offset, data } : { offset, data }) && !answered) await writable();
    }
    call.off('status', onStatus);
    if (!answered) call.end();
  }

  close(): void {
    this.client.close();
  }
}
