/**
 * `reverie scale` on this machine with the real services (services/*\/dist, built by `npx tsc -b`) and
 * a real nats-server from PATH: a tiny sweep (1 and 2 actors, 2 s windows) and its files; then a sweep
 * whose actor cannot start, which must name it, stop the sweep and leave no process behind.
 */
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import { CSV_COLUMNS, type ScaleReport } from '../src/scale/report.js';
import { defaultServicesDir } from '../src/stack/services.js';
import { tempDirs } from './stack-helpers.js';

const dirs = tempDirs('reverie-scale-e2e-');
afterAll(dirs.removeAll);

/** Pids of live processes whose command line or environment mentions `path`. */
async function processesMentioning(path: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    for (const file of ['cmdline', 'environ']) {
      const text = await readFile(join('/proc', entry, file), 'latin1').catch(() => '');
      if (text.includes(path)) {
        found.push(Number(entry));
        break;
      }
    }
  }
  return found;
}

const PNG_SIGNATURE = '89504e470d0a1a0a';

async function checkPlots(out: string, report: ScaleReport): Promise<void> {
  const names = ['throughput', 'efficiency', 'updates', 'policy-lag', 'broadcast', 'model'];
  expect(report.plots.map((p) => p.pngPath)).toEqual(names.map((n) => join(out, `${n}.png`)));
  for (const name of names) {
    const png = await readFile(join(out, `${name}.png`));
    expect(png.subarray(0, 8).toString('hex'), name).toBe(PNG_SIGNATURE);
    expect(png.length, `${name}.png size`).toBeGreaterThan(20_000);
    const svg = await readFile(join(out, `${name}.svg`), 'utf8');
    expect(svg, name).toMatch(/^<svg/);
    // Both points drawn: a line with its point marks, axes labelled with the actor counts.
    expect((svg.match(/<path/g) ?? []).length, `${name}.svg marks`).toBeGreaterThan(5);
    expect(svg, name).toContain('actors');
  }
}

function checkPoint(p: ScaleReport['points'][number]): void {
  const tag = `${p.actors} actors`;
  expect(p.windowSeconds, tag).toBeGreaterThan(1.5);
  expect(p.windowSeconds, tag).toBeLessThan(6);
  expect(p.envStepsPerSecond, tag).toBeGreaterThan(100);
  expect(p.actorStepsPerSecond, tag).toHaveLength(p.actors);
  for (const r of p.actorStepsPerSecond) expect(r, `${tag}: each actor steps`).toBeGreaterThan(0);
  // What the actors stepped reached the learner (chunks in flight at either end make the two differ a little).
  expect(p.ingestStepsPerSecond / p.envStepsPerSecond, tag).toBeGreaterThan(0.5);
  expect(p.ingestStepsPerSecond / p.envStepsPerSecond, tag).toBeLessThan(1.5);
  expect(p.learnerUpdatesPerSecond, tag).toBeGreaterThan(0);
  // A publish every 100 updates: a loaded machine may not reach one in a 2 s window.
  expect(p.versionsPerSecond, tag).toBeGreaterThanOrEqual(0);
  expect(p.policyLagMean, tag).toBeGreaterThanOrEqual(0);
  expect(p.policyLagMean!, tag).toBeLessThan(50);
  expect(p.actorCpuMicrosPerStep!, tag).toBeGreaterThan(0);
  expect(p.learnerCpuCores, tag).toBeGreaterThan(0);
  expect(p.weightsBytes, tag).toBeGreaterThan(0);
  expect(p.notes, tag).toEqual([]);
  for (const [k, v] of Object.entries(p)) if (typeof v === 'number') expect(Number.isFinite(v), `${tag}: ${k}`).toBe(true);
}

describe('reverie scale on this machine', () => {
  it('sweeps 1 and 2 actors with the real stack and writes report.json, scale.csv and the plots', async () => {
    const out = await dirs.make();
    const data = await dirs.make();
    const io = bufferIO();
    const args = ['scale', '--actors', '1,2', '--envs', '8', '--seconds', '2', '--warmup', '1', '--out', out, '--data-dir', data];
    const code = await runCli(args, io);
    const err = io.err.join('');
    expect(code, err).toBe(0);
    expect(err).toMatch(/\[1\/2\] 1 actor × 8 envs: starting/);
    expect(err).toMatch(/\[2\/2\] 2 actors × 8 envs: [\d.]+k? env-steps\/s/);

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ScaleReport;
    expect(report.mode).toBe('local');
    expect(report.failure).toBeNull();
    expect(report.command).toBe(`reverie scale --actors 1,2 --envs 8 --seconds 2 --warmup 1 --env CartPole-v1 --algo dqn --workers-per-actor 1 --seed 0 --out ${out} --model-actor-cores 1 --model-learner-cores measured --model-network-gbps 1`);
    expect(report.points.map((p) => [p.actors, p.envsPerActor])).toEqual([[1, 8], [2, 8]]);
    report.points.forEach(checkPoint);
    expect(report.points[0].scalingEfficiency).toBe(1);
    expect(report.points[1].scalingEfficiency).toBeGreaterThan(0);
    expect(report.machine.cpus).toBeGreaterThan(0);

    const model = report.model!;
    expect(model.predictions.length).toBeGreaterThan(0);
    for (const p of model.predictions) expect(p.envStepsPerSecond, `model at ${p.actors} actors`).toBeGreaterThan(0);
    expect(model.perActorStepsPerSecond['8']).toBeGreaterThan(0);
    expect(model.assumptionText.length).toBeGreaterThanOrEqual(4);

    const csv = (await readFile(join(out, 'scale.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.slice(1).map((row) => row.split(',').slice(0, 2).join(','))).toEqual(['1,8', '2,8']);
    await checkPlots(out, report);
    expect(io.out.join('')).toMatch(/│ +2 │ +8 │ +[\d.]+k? │/);
    expect((await stat(join(out, 'logs', 'a2-e8', 'actor-2.log'))).size).toBeGreaterThan(0);
    // Each point's stack was stopped and its data removed.
    expect(await processesMentioning(data)).toEqual([]);
    expect(await readdir(data)).toEqual([]);
  }, 90_000);

  it('an actor that cannot start fails the point naming it, ends the sweep, and leaves no process running', async () => {
    // The real model-server and learner, and an actor that refuses its config, as a broken build would.
    const services = await dirs.make();
    for (const name of ['model-server', 'learner']) await symlink(join(defaultServicesDir(), name), join(services, name));
    await mkdir(join(services, 'actor', 'dist'), { recursive: true });
    await writeFile(join(services, 'actor', 'dist', 'main.js'), "console.error('actor: config numEnvs (env REVERIE_NUM_ENVS): broken on purpose');\nprocess.exit(2);\n");
    const out = await dirs.make();
    const data = await dirs.make();
    const io = bufferIO();
    const code = await runCli(['scale', '--actors', '1,2', '--envs', '4', '--seconds', '1', '--warmup', '0', '--services-dir', services, '--out', out, '--data-dir', data], io);
    const err = io.err.join('');
    expect(code, err).toBe(1);
    expect(err).toMatch(/reverie scale: point 1 actor × 4 envs: none of the 1 actor\(s\) started:\nactor-1 exited with code 2 before it was ready; its last output:\n.*broken on purpose/);
    expect(err).toContain('broken on purpose');
    expect(err).not.toMatch(/\[2\/2\]/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ScaleReport;
    expect(report.points).toEqual([]);
    expect(report.failure?.point).toEqual({ actors: 1, envsPerActor: 4 });
    expect(report.failure?.message).toContain('actor-1 exited with code 2');
    expect(await processesMentioning(services)).toEqual([]);
    expect(await processesMentioning(data)).toEqual([]);
  }, 60_000);
});
