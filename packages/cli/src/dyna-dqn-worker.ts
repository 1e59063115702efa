// Worker-thread entry for neural-Dyna / DQN runs; started by `runDynaDqnJobs`.
import { parentPort, workerData } from 'node:worker_threads';
import { type DynaDqnJob, runDynaDqnJob } from './dyna-dqn-job.js';

const port = parentPort;
if (port === null) throw new Error('dyna-dqn-worker must run in a worker thread');
runDynaDqnJob(workerData as DynaDqnJob, (n) => port.postMessage({ type: 'steps', n }))
  .then((run) => port.postMessage({ type: 'done', run }))
  .catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ type: 'error', message: err.message, stack: err.stack });
  });
