/** A policy file (or in-memory spec + tensors) that cannot describe a valid policy; the message says why. */
export class PolicyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFormatError';
  }
}

/** Bad arguments to `act` / `qValues` (short buffers, non-finite observations, bad batch); names the problem. */
export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyInputError';
  }
}

/** A short description of an unexpected value for error messages: its constructor name or type. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}
