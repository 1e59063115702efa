/**
 * The start-up handshake of every Reverie process: one stdout line `READY {json}` once it serves,
 * naming the service and its endpoints (gRPC host:port, metrics URL).
 */
import { z } from 'zod';

const READY_PREFIX = 'READY ';

// null and absent both mean "none" (an actor is only a client: it may have no gRPC server).
const endpoint = z
  .string()
  .min(1)
  .nullish()
  .transform((v) => v ?? undefined);

const readySchema = z.looseObject({
  service: z.string().min(1),
  grpc: endpoint,
  metrics: endpoint,
});

/** A parsed READY payload; services may add fields of their own (they are kept). */
export interface ReadyInfo {
  service: string;
  grpc?: string;
  metrics?: string;
  [field: string]: unknown;
}

/** A READY line that is not valid: names what is wrong. */
export class ReadyLineError extends Error {
  override name = 'ReadyLineError';
}

/** Whether a stdout line is a READY line (it still has to parse). */
export function isReadyLine(line: string): boolean {
  return line.startsWith(READY_PREFIX);
}

/** Parses `READY {json}`; throws ReadyLineError for bad JSON or a payload without a service name. */
export function parseReadyLine(line: string): ReadyInfo {
  if (!isReadyLine(line)) throw new ReadyLineError(`not a READY line: ${JSON.stringify(line.slice(0, 80))}`);
  let payload: unknown;
  try {
    payload = JSON.parse(line.slice(READY_PREFIX.length));
  } catch (e) {
    throw new ReadyLineError(`READY line is not JSON (${(e as Error).message}): ${line.slice(0, 200)}`);
  }
  const parsed = readySchema.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    throw new ReadyLineError(`READY payload is not {service, grpc?, metrics?} (${problems}): ${line.slice(0, 200)}`);
  }
  return parsed.data;
}

/** The READY line a process prints for `payload`. */
export function formatReadyLine(payload: unknown): string {
  return `${READY_PREFIX}${JSON.stringify(payload)}`;
}
