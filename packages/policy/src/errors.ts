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
