// Piscina worker entry of PooledVectorEnv. Each worker runs ONE resident task for its whole life:
// it waits on the shared control block for a command, runs it on its env slice and reports done.
import { EnvSlice, type SliceTask } from './envSlice.js';
import { Command, Control, ERROR_TEXT_BYTES, NO_ENV, RolloutViews } from './sharedBuffers.js';

const encoder = new TextEncoder();

export default function runSlice(task: SliceTask): void {
  const views = new RolloutViews(task.memory);
  const { control } = views;
  const slice = new EnvSlice(task);
  const numWorkers = task.memory.dims.numWorkers;
  let seen = 0;
  for (;;) {
    // Sleeps until the main thread publishes a generation other than the one already served.
    Atomics.wait(control, Control.generation, seen);
    const generation = Atomics.load(control, Control.generation);
    if (generation === seen) continue;
    seen = generation;
    const command = Atomics.load(control, Control.command);
    if (command === Command.stop) return;
    try {
      if (command === Command.step) slice.step();
      else if (command === Command.reset) slice.reset(Atomics.load(control, Control.seeded) === 1 ? views.resetSeed[0] : undefined);
      else throw new Error(`unknown rollout command ${command}`);
    } catch (error) {
      const failure = command === Command.step ? slice.locate(error) : { envIndex: NO_ENV, message: error instanceof Error ? error.message : String(error) };
      reportFailure(views, task.workerIndex, failure.envIndex, failure.message);
    }
    // The last worker to finish wakes the main thread.
    if (Atomics.add(control, Control.done, 1) === numWorkers - 1) Atomics.notify(control, Control.done);
  }
}

/** Writes the failure into this worker's error slot; the main thread reads it after the done signal. */
function reportFailure(views: RolloutViews, worker: number, envIndex: number, message: string): void {
  const text = views.errorText.subarray(worker * ERROR_TEXT_BYTES, (worker + 1) * ERROR_TEXT_BYTES);
  const { written } = encoder.encodeInto(message, text);
  const slot = Control.errors + 2 * worker;
  Atomics.store(views.control, slot, envIndex);
  Atomics.store(views.control, slot + 1, written);
}
