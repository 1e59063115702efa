/**
 * kill -9 of an actor process in the middle of its stream: the learner goes on serving the other
 * actor (chunks stored and acknowledged, training and publishing continue), and its counts stay
 * consistent: each (actor, sequence) stored once, every actor's chunks a gapless prefix of its
 * sequence numbers, stored steps equal to acknowledged steps, /metrics equal to what was stored.
 * Two real actor processes (services/actor/dist/main.js) stream over gRPC to this learner.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createLogger, metricSum as metric, scrapeMetrics as scrape } from '@reverie/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLearner, type RunningLearner } from '../src/index.js';
import { getStatus, learnerClient, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const actorMain = join(root, 'services/actor/dist/main.js');
const ENVS = 4;
const STEPS = 32;

interface Actor {
  child: ChildProcess;
  metricsUrl: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** An actor process streaming to `learner`; resolves once it prints READY. */
function startActor(actorId: string, learner: string, seed: number): Promise<Actor> {
  const args = ['--actorId', actorId, '--numEnvs', String(ENVS), '--workers', '1', '--chunkSteps', String(STEPS), '--window', '4',
    '--seed', String(seed), '--learner.address', learner, '--metricsPort', '0', '--logLevel', 'warn'];
  const child = spawn(process.execPath, [actorMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const m = /^READY (\{.*\})$/m.exec(out);
      if (!m) return;
      child.stdout?.off('data', onData);
      resolve({ child, metricsUrl: (JSON.parse(m[1]) as { metrics: string }).metrics, output: () => out, exited });
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`actor ${actorId} exited (${code ?? signal}) before READY:\n${out}`)));
  });
}


/** Sequence numbers in the order they arrived, per actor process (stream). */
function byStream(records: { stream: string; sequence: number }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of records) out.set(r.stream, [...(out.get(r.stream) ?? []), r.sequence]);
  return out;
}

let dir: string;
let running: RunningLearner | undefined;

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b', 'services/actor'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'reverie-learner-actor-kill-'));
}, 120_000);

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  await running?.close({ checkpoint: false });
  await rm(dir, { recursive: true, force: true });
});

describe('an actor killed with SIGKILL mid-stream', () => {
  it('leaves the learner serving the other actor with consistent counts, and its restart under the same id is a new stream', async () => {
    const logLines: { level: string; msg: string }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as { level: string; msg: string });
        cb();
      },
    });
    running = await startLearner(
      { grpcPort: 0, metricsPort: 0, checkpointDir: dir, hidden: [16], batchSize: 16, learningStarts: 256, updatesPerStep: 0.02, publishEvery: 10, replayCapacity: 500_000 },
      { logger: createLogger({ service: 'learner', level: 'warn', destination }) },
    );
    const { learner } = running;
    const algorithm = learner.parts.algorithm;

    // What reaches replay, and every ack the learner gives (resolved once the chunk is durable).
    // Actors put a per-process suffix on their id (`actor-killed#1f2e3d4c`): `actorId` is the configured
    // part, `stream` the whole id, so a restarted actor is a new stream.
    const configured = (stream: string): string => stream.replace(/#[0-9a-f]{8}$/, '');
    const stored: { actorId: string; stream: string; sequence: number; steps: number }[] = [];
    const acked: { actorId: string; stream: string; sequence: number; steps: number; duplicate: boolean }[] = [];
    let onStored: ((actorId: string) => void) | undefined;
    const ingest = algorithm.ingest.bind(algorithm);
    algorithm.ingest = (batch) => {
      stored.push({ actorId: configured(batch.actorId), stream: batch.actorId, sequence: batch.sequence, steps: batch.numEnvs * batch.numSteps });
      ingest(batch);
      onStored?.(configured(batch.actorId));
    };
    const accept = learner.accept.bind(learner);
    learner.accept = (chunk) => {
      const ack = accept(chunk);
      const steps = Number(chunk.numEnvs) * Number(chunk.numSteps);
      ack.then((a) => acked.push({ actorId: configured(a.actorId), stream: a.actorId, sequence: Number(a.sequence), steps, duplicate: a.duplicate }), () => undefined);
      return ack;
    };
    const count = (actorId: string): number => stored.filter((s) => s.actorId === actorId).length;

    const [victim, survivor] = await Promise.all([startActor('actor-killed', running.address, 1), startActor('actor-survivor', running.address, 2)]);
    await waitFor(() => count('actor-killed') >= 8 && count('actor-survivor') >= 8, 15_000, 'both actors streaming');
    const ackedSeenByVictim = metric(await scrape(victim.metricsUrl), 'reverie_actor_chunks_acked_total');
    expect(ackedSeenByVictim).toBeGreaterThanOrEqual(1);

    // SIGKILL right after the learner stored one of its chunks: its window still holds more.
    let atKill: { survivor: number; updates: number; version: number } | undefined;
    onStored = (actorId) => {
      if (actorId !== 'actor-killed' || atKill !== undefined) return;
      victim.child.kill('SIGKILL');
      atKill = { survivor: count('actor-survivor'), updates: algorithm.updates, version: learner.publishing.version };
    };
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const mark = atKill!;

    // The learner goes on: the survivor's chunks are stored and acknowledged, training and publishing continue.
    await waitFor(() => count('actor-survivor') >= mark.survivor + 24, 15_000, '24 more chunks of the surviving actor');
    await waitFor(() => acked.filter((a) => a.actorId === 'actor-survivor').length >= mark.survivor + 24, 15_000, 'their acks');
    await waitFor(() => algorithm.updates > mark.updates + 10 && learner.publishing.version > mark.version, 15_000, 'updates and a new version after the kill');
    const client = learnerClient(running.address);
    const status = await getStatus(client);
    client.close();
    expect(status.envSteps).toBeGreaterThan(0);

    // Restarted under the same id (as a pod's container is), the actor numbers its chunks from 0
    // again, on a new stream: they are stored, not dropped as duplicates of the dead process's chunks.
    const beforeRestart = count('actor-killed');
    const restarted = await startActor('actor-killed', running.address, 3);
    await waitFor(() => count('actor-killed') >= beforeRestart + 8, 15_000, '8 chunks of the restarted actor');

    // The survivor and the restarted actor stop cleanly, with every chunk acknowledged.
    for (const actor of [survivor, restarted]) {
      actor.child.kill('SIGTERM');
      expect(await actor.exited).toEqual({ code: 0, signal: null });
      expect(actor.output()).not.toContain('not acknowledged');
    }
    await learner.stop(); // counts stand still from here

    // Each (stream, sequence) stored once, and each stream's chunks are 0, 1, 2, ... in arrival order: no gap.
    const keys = stored.map((s) => `${s.stream}/${s.sequence}`);
    expect(new Set(keys).size).toBe(keys.length);
    const sequences = byStream(stored);
    expect([...sequences.keys()].map(configured).sort()).toEqual(['actor-killed', 'actor-killed', 'actor-survivor']);
    for (const seqs of sequences.values()) expect(seqs).toEqual(seqs.map((_, i) => i));
    // Everything the killed actor saw acknowledged is stored.
    const killedStream = stored.find((s) => s.actorId === 'actor-killed')!.stream;
    expect(sequences.get(killedStream)!.length).toBeGreaterThanOrEqual(ackedSeenByVictim);

    // Every stored chunk gets its ack once it is on disk, the killed actor's last ones too.
    await waitFor(() => acked.filter((a) => !a.duplicate).length === stored.length, 10_000, 'an ack for every stored chunk');
    const fresh = acked.filter((a) => !a.duplicate);
    expect(new Set(fresh.map((a) => `${a.stream}/${a.sequence}`))).toEqual(new Set(keys));
    const storedSteps = stored.reduce((n, s) => n + s.steps, 0);
    expect(fresh.reduce((n, a) => n + a.steps, 0)).toBe(storedSteps);
    expect(storedSteps).toBeLessThan(500_000); // replay never dropped anything, so it holds them all

    const s = learner.status();
    expect([s.envSteps, s.replaySize]).toEqual([storedSteps, storedSteps]);
    const text = await scrape(running.metricsUrl);
    expect(metric(text, 'reverie_learner_chunks_total', 'result="stored"')).toBe(stored.length);
    expect(metric(text, 'reverie_learner_chunks_total', 'result="duplicate"') || 0).toBe(acked.length - fresh.length);
    expect(metric(text, 'reverie_learner_chunks_total', 'result="rejected"') || 0).toBe(0);
    expect(metric(text, 'reverie_learner_env_steps_total')).toBe(storedSteps);
    expect(metric(text, 'reverie_learner_replay_size')).toBe(storedSteps);
    expect(metric(text, 'reverie_learner_updates_total')).toBe(s.updates);
    expect(metric(text, 'reverie_learner_published_version')).toBe(s.publishedVersion);
    expect(logLines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  }, 60_000);
});
