/** What every gRPC handler shares: turning a thrown error into a counted, logged status. */
import { rpcError, statusName } from '@reverie/transport';
import type { Logger } from '@reverie/telemetry';
import { toStatus } from '../errors.js';
import type { ModelServerMetrics } from '../metrics.js';

export type RpcError = ReturnType<typeof rpcError>;

export interface CallContext {
  metrics?: ModelServerMetrics;
  logger?: Logger;
}

/** Counts the failure under reverie_grpc_errors_total{method,code} and returns the status error to send. */
export function failure(ctx: CallContext, method: string, err: unknown): RpcError {
  const { code, message } = toStatus(err);
  const name = statusName(code);
  ctx.metrics?.grpcErrors.inc({ method, code: name });
  if (name === 'INTERNAL') ctx.logger?.error({ method, err: err instanceof Error ? err.stack : String(err) }, 'call failed');
  else ctx.logger?.debug({ method, code: name, message }, 'call refused');
  return rpcError(code, message);
}
