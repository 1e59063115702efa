/** A failure of the rollout engine; names the env and worker where one is to blame. */
export class RolloutError extends Error {
  constructor(
    message: string,
    /** Global index of the env whose action or state caused the failure. */
    readonly envIndex?: number,
    readonly workerIndex?: number,
  ) {
    super(message);
    this.name = 'RolloutError';
  }
}
