#!/usr/bin/env node
/**
 * The actor process: `node dist/main.js [--config actor.json] [--<field> value ...]`. Fields are
 * those of src/service/config.ts; REVERIE_* env vars and the file fill in the rest. Prints
 * `READY {json}` on stdout once it steps; SIGTERM/SIGINT flush unacknowledged chunks and exit.
 */
import { parseArgs } from 'node:util';
import { createLogger, onShutdown } from '@reverie/telemetry';
import { startActor } from './service/actorService.js';
import { ActorConfigError, CONFIG_FIELDS, loadActorConfig, type ActorConfig } from './service/config.js';

function usage(): string {
  return `usage: actor [--config file.json] [--<field> value ...]\nfields: ${Object.keys(CONFIG_FIELDS).join(', ')}\n`;
}

function readConfig(argv: string[]): ActorConfig {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const field of Object.keys(CONFIG_FIELDS)) options[field] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  const { config: file, help: _help, ...flags } = values;
  return loadActorConfig({ file: typeof file === 'string' ? file : undefined, flags: flags as Record<string, string> });
}

async function main(): Promise<void> {
  let config: ActorConfig;
  try {
    config = readConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`actor: ${err instanceof Error ? err.message : String(err)}\n`);
    if (!(err instanceof ActorConfigError)) process.stderr.write(usage());
    process.exit(2);
  }
  const logger = createLogger({ service: 'actor', level: config.logLevel });
  const actor = await startActor(config, { logger });
  const shutdown = onShutdown([{ name: 'actor', run: () => actor.close() }], { logger, timeoutMs: config.shutdownGraceMs + 10_000 });
  actor.done.catch((err: unknown) => {
    // A loop that cannot go on (e.g. the learner refuses the token) ends the process with an error.
    logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'actor stopped');
    shutdown.dispose();
    void actor.close().finally(() => process.exit(1));
  });
  process.stdout.write(`READY ${JSON.stringify({ service: 'actor', actorId: config.actorId, metrics: actor.metricsUrl })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`actor failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
