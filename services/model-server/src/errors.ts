/**
 * Errors that carry the gRPC status they map to, so the store and the serving core can say
 * precisely what went wrong without knowing about gRPC calls.
 */
import { GrpcStatus, TensorError } from '@reverie/transport';
import { PolicyFormatError, PolicyInputError } from '@reverie/policy';

export class ModelServerError extends Error {
  override name = 'ModelServerError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (msg: string): ModelServerError => new ModelServerError(GrpcStatus.INVALID_ARGUMENT, msg);
export const failedPrecondition = (msg: string): ModelServerError => new ModelServerError(GrpcStatus.FAILED_PRECONDITION, msg);
export const notFound = (msg: string): ModelServerError => new ModelServerError(GrpcStatus.NOT_FOUND, msg);
export const unavailable = (msg: string): ModelServerError => new ModelServerError(GrpcStatus.UNAVAILABLE, msg);
export const resourceExhausted = (msg: string): ModelServerError => new ModelServerError(GrpcStatus.RESOURCE_EXHAUSTED, msg);
export const unauthenticated = (msg: string): ModelServerError => new ModelServerError(GrpcStatus.UNAUTHENTICATED, msg);

/** The status and message a caller should see for any thrown value. */
export function toStatus(err: unknown): { code: number; message: string } {
  if (err instanceof ModelServerError) return { code: err.code, message: err.message };
  if (err instanceof TensorError || err instanceof PolicyInputError || err instanceof PolicyFormatError) {
    return { code: GrpcStatus.INVALID_ARGUMENT, message: err.message };
  }
  return { code: GrpcStatus.INTERNAL, message: err instanceof Error ? err.message : String(err) };
}
