// Worker-thread entry for Dyna-Q runs; started by `runDynaQGrid` through the pool.
import { runDynaQJob, type DynaQJob } from './dyna-job.js';
import { serveJobs } from './pool.js';
import type { RunRecord } from './results.js';

serveJobs<DynaQJob, RunRecord>((job, tick) => runDynaQJob(job, () => tick(1)));
