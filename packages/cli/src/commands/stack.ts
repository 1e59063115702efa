/**
 * `reverie stack up`: the distributed actor-learner system as processes on 127.0.0.1, until Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registeredIds } from '@reverie/envs';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import type { CliIO } from '../io.js';
import { intOption, OptionError, parseOptions } from '../options.js';
import { renderEndpointTable, stackReadyLine } from '../stack/endpoints.js';
import { fileSink, prefixedSink } from '../stack/logs.js';
import { startInProcessStack } from '../stack/inProcess.js';
import { defaultServicesDir, STACK_ALGOS, StackStartError } from '../stack/services.js';
import { startStack, type StackConfig } from '../stack/stack.js';

export const stackUpSchema = z.object({
  actors: intOption(1),
  envsPerActor: intOption(1),
  workersPerActor: intOption(1),
  env: z.string().trim().refine((id) => registeredIds().includes(id), { error: `must be a registered env id: ${registeredIds().join(', ')}` }),
  algo: z.enum(STACK_ALGOS, { error: `must be one of ${STACK_ALGOS.join(', ')}` }),
  dataDir: z.string().trim().min(1, { error: 'must be a directory path' }),
  natsUrl: z.string().trim().regex(/^(nats|tls|ws|wss):\/\/\S+$/, { error: 'must be a NATS URL such as nats://127.0.0.1:4222' }).optional(),
  logs: z.boolean().optional(),
  seed: intOption(0),
  token: z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
  readyTimeoutMs: intOption(100),
  stopTimeoutMs: intOption(100),
  servicesDir: z.string().trim().min(1).optional(),
  inProcess: z.boolean().optional(),
});

export interface StackUpConfig extends StackConfig {
  /** Child logs to DATA_DIR/logs/<name>.log instead of prefixed lines on stderr. */
  logs: boolean;
  /** Everything in this process with in-process transports (no NATS, no child processes). */
  inProcess: boolean;
}

export function parseStackUpOptions(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): StackUpConfig {
  if (raw.inProcess === true && raw.natsUrl !== undefined) throw new OptionError('option --nats-url does not go with --in-process (weights then move in memory, without NATS)');
  // In one process NATS is not used, so a NATS_URL in the environment is no reason to fail.
  const natsFromEnv = raw.inProcess === true ? undefined : env.NATS_URL || undefined;
  const o = parseOptions(stackUpSchema, { ...raw, natsUrl: raw.natsUrl ?? natsFromEnv });
  const servicesDir = resolve(o.servicesDir ?? defaultServicesDir());
  if (!existsSync(servicesDir)) throw new OptionError(`option --services-dir: no such folder ${JSON.stringify(servicesDir)}`);
  return {
    actors: o.actors,
    envsPerActor: o.envsPerActor,
    workersPerActor: o.workersPerActor,
    env: o.env,
    algo: o.algo,
    dataDir: resolve(o.dataDir),
    natsUrl: o.natsUrl ?? null,
    logs: o.logs === true,
    seed: o.seed,
    // A fresh secret per stack unless given: only this stack's learner may publish weights.
    token: o.token ?? randomBytes(18).toString('base64url'),
    readyTimeoutMs: o.readyTimeoutMs,
    stopTimeoutMs: o.stopTimeoutMs,
    servicesDir,
    inProcess: o.inProcess === true,
  };
}

/** How a stack is asked to stop: `signal` aborts (its reason says why); a second request calls `force`. */
export interface StopControl {
  signal: AbortSignal;
  /** Sets what a second stop request does (kill everything at once). */
  onForce(kill: () => void): void;
}

/** Stop requests from SIGINT (Ctrl-C) and SIGTERM; `dispose` removes the handlers. */
export function signalStopControl(): StopControl & { dispose(): void } {
  const controller = new AbortController();
  let force: () => void = () => undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) force();
    else controller.abort(`received ${sig}`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    onForce: (kill) => (force = kill),
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function aborted(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(String(signal.reason));
    else signal.addEventListener('abort', () => resolve(String(signal.reason)), { once: true });
  });
}

/**
 * Starts the stack, prints the endpoint table and the READY line, waits for a stop request, then stops
 * everything in order. Throws StackStartError when it cannot start (or is stopped while starting).
 */
export async function runStackUp(config: StackUpConfig, io: CliIO, control: StopControl): Promise<void> {
  const files = config.logs ? fileSink(join(config.dataDir, 'logs')) : null;
  const log = files?.sink ?? prefixedSink(io.stderr);
  const notice = (text: string): void => io.stderr(`reverie stack: ${text}\n`);
  try {
    const what = `model-server, learner and ${config.actors} actor(s) (${config.env}, ${config.algo})`;
    notice(config.inProcess ? `starting ${what} in this process; data in ${config.dataDir}` : `starting ${config.natsUrl === null ? 'nats-server, ' : ''}${what}; data in ${config.dataDir}`);
    const stack = config.inProcess ? await startInProcessStack(config, { log, notice }) : await startStack(config, { log, notice }, control.signal);
    control.onForce(() => stack.killAll());
    // If this process exits some other way, its children must not outlive it.
    const lastResort = (): void => stack.killAll();
    process.once('exit', lastResort);
    try {
      io.stdout(`${renderEndpointTable(stack.endpoints)}\n`);
      if (files) io.stdout(`logs: ${join(config.dataDir, 'logs')}/<process>.log\n`);
      io.stdout(`${stackReadyLine(stack.endpoints)}\n`);
      const reason = await aborted(control.signal);
      notice(`${reason}: stopping actors, learner, model-server${config.natsUrl === null && !config.inProcess ? ', then nats-server' : ''}`);
      for (const o of await stack.stop()) notice(`${o.name} stopped (${o.how})`);
    } finally {
      process.off('exit', lastResort);
    }
  } finally {
    await files?.close();
  }
}

/** Exit status when the stack could not start. */
export const EXIT_STACK_FAILED = 1;

function upCommand(io: CliIO): Command {
  return new Command('up')
    .summary('start nats-server, model-server, learner and actors on 127.0.0.1 until Ctrl-C')
    .description(
      'Starts nats-server (from PATH, unless --nats-url or NATS_URL names one), then the model-server, the learner and ' +
        '--actors actors as child processes (node services/<name>/dist/main.js), each wired to the endpoints of the ones ' +
        'before it. Prints a table of endpoints, then one line `READY {json}` naming them all. Child logs go to stderr, ' +
        'prefixed by process name (or to DATA_DIR/logs with --logs). Nothing is restarted: an unexpected exit is reported. ' +
        'Ctrl-C or SIGTERM stops the actors, the learner, the model-server, then NATS, and exits 0. With --in-process ' +
        'the same service code runs inside this process, joined in memory (no NATS, no child processes).',
    )
    .option('--actors <n>', 'actor processes', '2')
    .option('--envs-per-actor <n>', 'environments each actor steps', '4')
    .option('--workers-per-actor <n>', 'worker threads each actor steps its envs on (at most --envs-per-actor)', '1')
    .option('--env <id>', 'environment id', 'CartPole-v1')
    .option('--algo <name>', `learner algorithm: ${STACK_ALGOS.join(', ')}`, 'dqn')
    .option('--data-dir <dir>', 'weight store, checkpoints, NATS store and logs', join('.reverie', 'stack'))
    .option('--nats-url <url>', 'use this NATS instead of starting nats-server (default: $NATS_URL)')
    .option('--logs', 'write child logs to DATA_DIR/logs/<process>.log instead of stderr')
    .option('--seed <n>', 'base seed (actor k explores with seed + 1000·k)', '0')
    .option('--token <secret>', "bearer token for the learner's PublishWeights calls (default: a random one per run)")
    .option('--ready-timeout-ms <n>', 'how long each process may take to print READY', '60000')
    .option('--stop-timeout-ms <n>', 'how long each stage may take to stop before it is killed', '10000')
    .option('--services-dir <dir>', "folder holding <service>/dist/main.js (default: this repository's services/)")
    .option('--in-process', 'run model-server, learner and actors in this process with in-process transports (no NATS, no child processes)')
    .action(async (raw: Record<string, unknown>) => {
      const config = parseStackUpOptions(raw);
      const control = signalStopControl();
      try {
        await runStackUp(config, io, control);
      } catch (e) {
        if (!(e instanceof StackStartError)) throw e;
        io.stderr(`reverie stack: ${e.message}\n`);
        throw new CommanderError(EXIT_STACK_FAILED, 'reverie.stack', e.message);
      } finally {
        control.dispose();
      }
    });
}

export function stackCommand(io: CliIO): Command {
  const stack = new Command('stack').summary('run the distributed actor-learner system on this machine');
  stack.addCommand(upCommand(io));
  // Nested commands do not inherit the parent's output and exit handling; give them the same.
  for (const sub of stack.commands) {
    sub
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
      .showHelpAfterError('(add --help for usage)');
  }
  return stack;
}
