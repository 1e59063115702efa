import * as grpc from '@grpc/grpc-js';

/** An error a handler passes to its callback (or emits) to answer with this status. */
export function rpcError(code: grpc.status, details: string): grpc.ServiceError {
  const err = new Error(details) as grpc.ServiceError;
  err.code = code;
  err.details = details;
  err.metadata = new grpc.Metadata();
  return err;
}

/** The status name for a code, e.g. 3 → "INVALID_ARGUMENT" (for metric labels and logs). */
export function statusName(code: grpc.status): string {
  return grpc.status[code] ?? String(code);
}

export { status as GrpcStatus } from '@grpc/grpc-js';
