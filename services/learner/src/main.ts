/** The learner process: config from env and flags, then serve until SIGTERM/SIGINT. */
import { parseArgs } from 'node:util';
import { onShutdown } from '@reverie/telemetry';
import { flagOptions, resolveConfig, LearnerConfigError } from './config.js';
import { startLearner } from './start.js';

async function main(): Promise<void> {
  let config;
  try {
    const { values } = parseArgs({ options: flagOptions(), strict: true, allowPositionals: false });
    config = resolveConfig(values, process.env);
  } catch (err) {
    process.stderr.write(`learner: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const running = await startLearner(config);
  // Stop accepting, stop training, checkpoint, exit.
  onShutdown([{ name: 'learner', run: () => running.close({ checkpoint: true }) }], { logger: running.logger, timeoutMs: 30_000 });
  const ready = { service: 'learner', grpc: running.address, metrics: running.metricsUrl };
  process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
}

main().catch((err: unknown) => {
  const message = err instanceof LearnerConfigError ? err.message : err instanceof Error ? err.stack ?? err.message : String(err);
  process.stderr.write(`learner: ${message}\n`);
  process.exit(1);
});
