/**
 * reverie.v1.PolicyService: Act (unary) and ActStream (bidi, answers matched by request_id), both
 * through the dynamic batcher. Every refused request is counted by method and status code.
 */
import type { ActRequest__Output, ActResponse, PolicyServiceHandlers } from '@reverie/transport';
import { failure, type CallContext } from '../grpc/calls.js';
import { ActBatcher, type ActOutput } from './batcher.js';
import { checkObservation, toResponse } from './actRequest.js';
import type { ServedPolicies, ServedPolicy } from './servedPolicies.js';

export interface PolicyServiceOptions extends CallContext {
  policies: ServedPolicies;
  /** Rows per policy evaluation at most (default 64). */
  maxBatch: number;
  /** How long a request may wait for others to batch with (default 0: the next event-loop turn). */
  maxQueueDelayMs: number;
  /** Observations above this many bytes are refused with RESOURCE_EXHAUSTED. */
  maxObservationBytes: number;
}

/** The Act pipeline shared by both methods: resolve the policy, check the input, batch, answer. */
export class ActPipeline {
  private readonly batcher: ActBatcher;

  constructor(private readonly opts: PolicyServiceOptions) {
    this.batcher = new ActBatcher({ maxBatch: opts.maxBatch, maxQueueDelayMs: opts.maxQueueDelayMs, metrics: opts.metrics });
  }

  async act(req: ActRequest__Output): Promise<ActResponse> {
    const { policies } = this.opts;
    const name = policies.resolveName(req.policy);
    const pinned = req.version !== 0;
    // a newest-version request is checked against today's newest; a swap keeps the shapes (the store enforces it)
    const served = pinned ? await policies.version(name, req.version) : policies.newest(name);
    const { obs, rows, single } = checkObservation(req, served, this.opts.maxObservationBytes);
    const pick: () => ServedPolicy = pinned ? () => served : () => policies.newest(name);
    const out = await new Promise<ActOutput>((resolve, reject) => {
      this.batcher.submit(pinned ? `${name}@${req.version}` : `${name}@newest`, pick, {
        obs,
        rows,
        wantValue: req.wantValue,
        wantProbs: req.wantProbs,
        resolve,
        reject,
      });
    });
    return toResponse(out, single, req.requestId);
  }
}

/** Metric children bound once per method (prom-client hashes the labels on every unbound call). */
function methodMetrics(opts: PolicyServiceOptions, method: 'unary' | 'stream'): { request(): void; done(startedMs: number): void } {
  const requests = opts.metrics?.requests.labels({ method });
  const seconds = opts.metrics?.actSeconds.labels({ method });
  return {
    request: () => requests?.inc(),
    done: (startedMs) => seconds?.observe((performance.now() - startedMs) / 1000),
  };
}

function streamHandler(opts: PolicyServiceOptions, pipeline: ActPipeline): PolicyServiceHandlers['ActStream'] {
  const m = methodMetrics(opts, 'stream');
  return (call) => {
    let pending = 0;
    let ended = false;
    let failed = false;
    const finishIfDone = (): void => {
      if (ended && pending === 0 && !failed) call.end();
    };
    call.on('data', (req: ActRequest__Output) => {
      if (failed) return;
      const started = performance.now();
      m.request();
      pending++;
      pipeline.act(req).then(
        (res) => {
          pending--;
          if (failed || call.cancelled) return;
          call.write(res);
          m.done(started);
          finishIfDone();
        },
        (err: unknown) => {
          pending--;
          if (failed) return;
          // ActResponse has no error field: a bad request ends its stream with the status
          failed = true;
          call.emit('error', failure(opts, 'ActStream', err));
        },
      );
    });
    call.on('end', () => {
      ended = true;
      finishIfDone();
    });
    call.on('error', () => undefined);
  };
}

export function policyServiceHandlers(opts: PolicyServiceOptions): PolicyServiceHandlers {
  const pipeline = new ActPipeline(opts);
  const m = methodMetrics(opts, 'unary');
  return {
    Act: (call, callback) => {
      const started = performance.now();
      m.request();
      pipeline.act(call.request).then(
        (res) => {
          callback(null, res);
          m.done(started);
        },
        (err: unknown) => callback(failure(opts, 'Act', err)),
      );
    },
    ActStream: streamHandler(opts, pipeline),
  };
}
