/** Every error an environment raises on bad input; the message names the env and the problem. */
export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}
