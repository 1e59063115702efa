/**
 * `reverie simulate`: a sample simulator client. It steps an env locally and asks a PolicyService
 * (the model-server) for every action, then reports returns, policy versions, latency and errors.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Box, Discrete, type Env, EnvError, make, registeredIds } from '@reverie/envs';
import { decodeTensor, encodeTensor, statusName, TensorError, type ActRequest, type ActResponse__Output, type ClientTls } from '@reverie/transport';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import type { CliIO } from '../io.js';
import { intOption, OptionError, parseOptions } from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import { connectPolicy, grpcCodeOf, TargetUnreachableError, type PolicyCaller } from './simulate-client.js';
import { LatencyRecorder, renderSimulateTable, returnStats, VersionTracker, type SimulateReport } from './simulate-report.js';

const path = (what: string) => z.string().trim().min(1, { error: `must be ${what}` });

export const simulateSchema = z.object({
  target: z.string().trim().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/, { error: 'must be HOST:PORT, e.g. 127.0.0.1:50051' }),
  episodes: intOption(1),
  out: path('a directory path').optional(),
  env: z.string().trim().refine((id) => registeredIds().includes(id), { error: `must be a registered env id: ${registeredIds().join(', ')}` }),
  seed: intOption(0),
  stream: z.boolean().optional(),
  policy: z.string().trim(),
  version: intOption(1).optional(),
  token: z.string().min(1, { error: 'must not be empty' }).optional(),
  tlsCa: path('a PEM file').optional(),
  tlsCert: path('a PEM file').optional(),
  tlsKey: path('a PEM file').optional(),
  tlsServerName: z.string().trim().min(1).optional(),
  deadlineMs: intOption(1),
  connectTimeoutMs: intOption(1),
  retries: intOption(0),
});

export interface SimulateConfig {
  target: string;
  episodes: number;
  out: string;
  env: string;
  seed: number;
  stream: boolean;
  policy: string;
  version: number | null;
  token?: string;
  tls?: ClientTls;
  deadlineMs: number;
  connectTimeoutMs: number;
  retries: number;
}

/** Validates `reverie simulate` options; TLS files must exist, and a client certificate needs its key. */
export function parseSimulateOptions(raw: Record<string, unknown>): SimulateConfig {
  const o = parseOptions(simulateSchema, raw);
  for (const [flag, file] of [['--tls-ca', o.tlsCa], ['--tls-cert', o.tlsCert], ['--tls-key', o.tlsKey]] as const) {
    if (file !== undefined && !existsSync(file)) throw new OptionError(`option ${flag}: no such file ${JSON.stringify(file)}`);
  }
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new OptionError('options --tls-cert and --tls-key go together (mutual TLS needs both)');
  const tlsOn = o.tlsCa !== undefined || o.tlsCert !== undefined || o.tlsServerName !== undefined;
  return {
    target: o.target,
    episodes: o.episodes,
    out: o.out ?? join('results', 'simulate'),
    env: o.env,
    seed: o.seed,
    stream: o.stream === true,
    policy: o.policy,
    version: o.version ?? null,
    token: o.token,
    tls: tlsOn ? { caFile: o.tlsCa, certFile: o.tlsCert, keyFile: o.tlsKey, serverName: o.tlsServerName } : undefined,
    deadlineMs: o.deadlineMs,
    connectTimeoutMs: o.connectTimeoutMs,
    retries: o.retries,
  };
}

/** The run cannot go on (a non-retryable status, retries used up, an action the env refuses). */
export class SimulateAbort extends Error {
  override name = 'SimulateAbort';
}

// Statuses that a later attempt may not meet again (server busy, restarting, slow); others are final.
const RETRYABLE = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED', 'ABORTED']);

interface RunState {
  returns: number[];
  lengths: number[];
  steps: number;
  versions: VersionTracker;
  latency: LatencyRecorder;
  errors: Record<string, number>;
}

/** Sends one observation, retrying retryable failures with exponential backoff; records latency and errors. */
async function actWithRetry(caller: PolicyCaller, request: ActRequest, config: SimulateConfig, state: RunState): Promise<ActResponse__Output> {
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    try {
      const res = await caller.act(request);
      state.latency.add(performance.now() - t0);
      return res;
    } catch (e) {
      const code = statusName(grpcCodeOf(e));
      state.errors[code] = (state.errors[code] ?? 0) + 1;
      const details = (e as { details?: string }).details ?? (e as Error).message;
      if (!RETRYABLE.has(code)) throw new SimulateAbort(`PolicyService at ${config.target} answered ${code}: ${details}`);
      if (attempt >= config.retries) {
        throw new SimulateAbort(`PolicyService at ${config.target} failed ${attempt + 1} times in a row, last with ${code}: ${details}`);
      }
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/** Reads the server's action as the env wants it: an integer for Discrete, a float32 vector for Box. */
function actionReader(env: Env): (res: ActResponse__Output) => number | Float32Array {
  const space = env.actionSpace;
  if (space instanceof Discrete) {
    return (res) => {
      const a = decodeTensor(res.action, { name: 'action', dtype: 'int32' }).array;
      if (a.length !== 1) throw new TensorError(`action: expected one int32 for one env, got ${a.length}`);
      return a[0];
    };
  }
  const size = space.flatSize;
  return (res) => {
    const a = decodeTensor(res.action, { name: 'action', dtype: 'float32' }).array;
    if (a.length !== size) throw new TensorError(`action: expected ${size} float32 values, got ${a.length}`);
    return a;
  };
}

async function runEpisodes(env: Env, caller: PolicyCaller, config: SimulateConfig, state: RunState, progress: Progress): Promise<void> {
  const space = env.observationSpace;
  const obs = new Float32Array(space.flatSize);
  // One request for the whole run: its tensor views `obs`, which is rewritten before every call.
  const request: ActRequest = {
    policy: config.policy,
    version: config.version ?? 0,
    observation: encodeTensor(obs, space instanceof Box ? space.shape : [1]),
  };
  const readAction = actionReader(env);
  for (let ep = 0; ep < config.episodes; ep++) {
    env.reset({ seed: config.seed + ep });
    state.versions.startEpisode(ep);
    let ret = 0;
    let len = 0;
    for (let done = false; !done; ) {
      env.writeObservation(obs, 0);
      const res = await actWithRetry(caller, request, config, state);
      state.versions.record(res.version);
      const step = stepWith(env, readAction, res, config.target);
      ret += step.reward;
      len++;
      state.steps++;
      done = step.terminated || step.truncated;
    }
    state.returns.push(ret);
    state.lengths.push(len);
    progress.tick();
  }
}

function stepWith(env: Env, readAction: (res: ActResponse__Output) => number | Float32Array, res: ActResponse__Output, target: string) {
  try {
    return env.step(readAction(res));
  } catch (e) {
    if (e instanceof TensorError || e instanceof EnvError) {
      throw new SimulateAbort(`PolicyService at ${target} (version ${res.version}) sent an action ${env.id} cannot take: ${e.message}`);
    }
    throw e;
  }
}

/** Runs the episodes against the server, writes OUT/report.json and prints a summary; throws SimulateAbort after writing a partial report. */
export async function runSimulate(config: SimulateConfig, io: CliIO): Promise<SimulateReport> {
  const t0 = performance.now();
  const env = make(config.env);
  const caller = await connectPolicy(config, config.connectTimeoutMs);
  const state: RunState = { returns: [], lengths: [], steps: 0, versions: new VersionTracker(), latency: new LatencyRecorder(), errors: {} };
  const progress = createProgress(config.episodes, {
    stream: io.progressStream ?? undefined,
    enabled: io.progressStream === null ? false : undefined,
    label: `${config.env} via ${config.target}`,
  });
  let abortReason: string | null = null;
  try {
    await runEpisodes(env, caller, config, state, progress);
  } catch (e) {
    if (!(e instanceof SimulateAbort)) throw e;
    abortReason = e.message;
  } finally {
    progress.stop();
    caller.close();
  }
  const elapsedSeconds = (performance.now() - t0) / 1000;
  const report: SimulateReport = {
    target: config.target,
    env: config.env,
    mode: config.stream ? 'stream' : 'unary',
    policy: config.policy,
    pinnedVersion: config.version,
    seed: config.seed,
    episodes: state.returns.length,
    steps: state.steps,
    returns: state.returns,
    lengths: state.lengths,
    ...returnStats(state.returns),
    versions: { seen: state.versions.seen, perEpisode: state.versions.perEpisode },
    latencyMs: state.latency.summary(),
    errors: state.errors,
    completed: abortReason === null,
    abortReason,
    elapsedSeconds,
    stepsPerSecond: elapsedSeconds > 0 ? state.steps / elapsedSeconds : 0,
  };
  await mkdir(config.out, { recursive: true });
  await writeFile(join(config.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  io.stdout(`${config.env} through PolicyService at ${config.target} (${report.mode})\n${renderSimulateTable(report)}\n`);
  io.stdout(`wrote ${join(config.out, 'report.json')} in ${elapsedSeconds.toFixed(1)} s\n`);
  if (abortReason !== null) throw new SimulateAbort(`stopped after ${report.episodes} of ${config.episodes} episodes: ${abortReason}`);
  return report;
}

/** Exit status when the server cannot be reached or the run had to stop. */
export const EXIT_SIMULATE_FAILED = 1;

export function simulateCommand(io: CliIO): Command {
  return new Command('simulate')
    .summary('drive an env with actions from a PolicyService (the model-server) and report on it')
    .description(
      'A sample simulator client: steps --env locally (episode k resets with seed + k) and asks the PolicyService at ' +
        '--target for every action, over unary Act or one ActStream (--stream). Writes OUT/report.json (returns, ' +
        'meanReturn, stdReturn, steps, versions.seen and per-episode first/last version, latencyMs p50/p90/p99/max, ' +
        'errors by gRPC status) and prints a summary. Retryable failures (UNAVAILABLE, DEADLINE_EXCEEDED, ' +
        'RESOURCE_EXHAUSTED, ABORTED) are retried --retries times; any other status stops the run (exit 1).',
    )
    .requiredOption('--target <host:port>', 'PolicyService address (the model-server gRPC address printed by `reverie stack up`)')
    .option('--episodes <n>', 'episodes to run', '10')
    .option('--out <dir>', 'output directory (default: results/simulate)')
    .option('--env <id>', 'environment id', 'CartPole-v1')
    .option('--seed <n>', 'episode k resets the env with seed + k', '0')
    .option('--stream', 'use one bidirectional ActStream instead of a unary Act per step')
    .option('--policy <name>', "policy name ('' = the server's default)", '')
    .option('--version <n>', 'pin this weight version (default: the newest)')
    .option('--token <token>', 'bearer token sent with every call')
    .option('--tls-ca <file>', 'PEM CA that signed the server certificate (turns TLS on)')
    .option('--tls-cert <file>', 'PEM client certificate, for mutual TLS (with --tls-key)')
    .option('--tls-key <file>', 'PEM client key, for mutual TLS')
    .option('--tls-server-name <name>', 'host name to verify in the server certificate when it differs from the target')
    .option('--deadline-ms <n>', 'per-request deadline', '1000')
    .option('--connect-timeout-ms <n>', 'how long to wait for the first connection', '5000')
    .option('--retries <n>', 'retries of a request that failed with a retryable status', '3')
    .action(async (raw: Record<string, unknown>) => {
      try {
        await runSimulate(parseSimulateOptions(raw), io);
      } catch (e) {
        if (!(e instanceof TargetUnreachableError || e instanceof SimulateAbort)) throw e;
        io.stderr(`reverie simulate: ${e.message}\n`);
        throw new CommanderError(EXIT_SIMULATE_FAILED, 'reverie.simulate', e.message);
      }
    });
}
