/**
 * reverie.v1.ModelService: PublishWeights (client stream, bearer token when configured),
 * GetWeights (server stream in 1 MiB chunks, for late joiners) and ListVersions.
 */
import { hasBearerToken, type ModelServiceHandlers, type WeightsChunk } from '@reverie/transport';
import { unauthenticated } from '../errors.js';
import type { ModelRegistry } from '../registry/modelRegistry.js';
import { failure, type CallContext } from './calls.js';
import { WeightsUpload } from './upload.js';

/** Size of the chunks GetWeights sends (and GrpcWeightsPublisher uploads). */
export const WEIGHTS_CHUNK_BYTES = 1024 * 1024;

export interface ModelServiceOptions extends CallContext {
  registry: ModelRegistry;
  /** When set, PublishWeights requires `authorization: Bearer <token>`. */
  token?: string;
  maxWeightsBytes: number;
}

type Handlers = ModelServiceHandlers;

function publishHandler(opts: ModelServiceOptions): Handlers['PublishWeights'] {
  return (call, callback) => {
    const method = 'PublishWeights';
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      callback(failure(opts, method, err));
    };
    if (opts.token !== undefined && !hasBearerToken(call.metadata, opts.token)) {
      fail(unauthenticated('PublishWeights needs a valid bearer token (authorization: Bearer <token>)'));
      return;
    }
    const upload = new WeightsUpload(opts.maxWeightsBytes);
    call.on('data', (chunk) => {
      if (settled) return;
      try {
        upload.accept(chunk);
      } catch (err) {
        fail(err);
      }
    });
    call.on('error', () => undefined); // a client that goes away needs no answer
    call.on('end', () => {
      if (settled) return;
      let payload;
      try {
        payload = upload.finish();
      } catch (err) {
        fail(err);
        return;
      }
      opts.registry.publish(payload.metadata, payload.bytes).then(
        (metadata) => {
          settled = true;
          callback(null, { metadata });
        },
        fail,
      );
    });
  };
}

function drainedOrCancelled(call: Parameters<Handlers['GetWeights']>[0]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}

function getWeightsHandler(opts: ModelServiceOptions): Handlers['GetWeights'] {
  return (call) => {
    const { policy, version } = call.request;
    void (async () => {
      try {
        const { metadata, bytes } = await opts.registry.read(policy, version);
        for (let offset = 0; offset < bytes.byteLength || offset === 0; offset += WEIGHTS_CHUNK_BYTES) {
          const chunk: WeightsChunk = { offset, data: bytes.subarray(offset, offset + WEIGHTS_CHUNK_BYTES) };
          if (offset === 0) chunk.metadata = metadata;
          if (call.cancelled) return;
          if (!call.write(chunk)) await drainedOrCancelled(call);
        }
        call.end();
      } catch (err) {
        call.emit('error', failure(opts, 'GetWeights', err));
      }
    })();
  };
}

export function modelServiceHandlers(opts: ModelServiceOptions): Handlers {
  return {
    PublishWeights: publishHandler(opts),
    GetWeights: getWeightsHandler(opts),
    ListVersions: (call, callback) => {
      try {
        callback(null, { versions: opts.registry.list(call.request.policy) });
      } catch (err) {
        callback(failure(opts, 'ListVersions', err));
      }
    },
  };
}
