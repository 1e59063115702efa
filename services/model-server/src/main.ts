#!/usr/bin/env node
/**
 * The model-server process: `node dist/main.js [--config file.json] [--grpcPort 50551] [--nats.url nats://...]`.
 * Flags name config fields (see README); REVERIE_* env vars and the file fill in the rest.
 * Prints `READY {json}` on stdout once it serves; SIGTERM/SIGINT stop it gracefully.
 */
import { parseArgs } from 'node:util';
import { createLogger, onShutdown } from '@reverie/telemetry';
import { CONFIG_FIELDS, loadModelServerConfig, ModelServerConfigError } from './config.js';
import { startModelServer } from './server.js';

function usage(): string {
  const fields = Object.keys(CONFIG_FIELDS).map((f) => `  --${f}`).join('\n');
  return `usage: model-server [--config file.json] [--<field> value ...]\nfields:\n${fields}\n`;
}

function readArgs(argv: string[]): { file?: string; flags: Record<string, string> } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const field of Object.keys(CONFIG_FIELDS)) options[field] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  const { config, help: _help, ...flags } = values;
  return { file: typeof config === 'string' ? config : undefined, flags: flags as Record<string, string> };
}

async function main(): Promise<void> {
  let config;
  try {
    const { file, flags } = readArgs(process.argv.slice(2));
    config = loadModelServerConfig({ file, flags });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    if (!(err instanceof ModelServerConfigError)) process.stderr.write(usage());
    process.exit(2);
  }
  const logger = createLogger({ service: 'model-server', level: config.logLevel });
  const server = await startModelServer(config, { logger });
  onShutdown([{ name: 'model-server', run: () => server.close() }], { logger, timeoutMs: config.shutdownGraceMs + 5000 });
  process.stdout.write(`READY ${JSON.stringify({ service: 'model-server', grpc: server.address, metrics: server.metricsUrl })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`model-server failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
