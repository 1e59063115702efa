/**
 * What the images would hold really runs: each service is `pnpm deploy`ed as its Dockerfile does,
 * with the protos placed by place-protos.mjs, and started from that folder with the environment,
 * config file and Secret wiring of the local overlay (only addresses, ports and directories are
 * changed to free loopback ports and temp dirs; the learner keeps its image's default backend,
 * WebAssembly). A real nats-server with a user and password carries the weights. The servers answer
 * grpc.health.v1 as the Kubernetes probes ask, and the actor acts with weights the learner
 * published through the model-server and NATS.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type RunningNatsServer } from '../../transport/src/index.js';
import { render } from './support/overlays.js';
import { podNamed } from './support/networkRules.js';
import { argValue, containerEnv, mountedFile, type Env } from './support/containerEnv.js';
import { imageEnv, parseDockerfile } from './support/dockerfileRules.js';
import { DOCKER_DIR } from './support/repo.js';
import { buildMissing, deployService, grpcHealth, startService, type RunningService } from './support/deployedStack.js';

const SECRETS: Record<string, string> = {
  'reverie-auth/model-server-token': randomBytes(16).toString('hex'),
  'reverie-auth/learner-token': randomBytes(16).toString('hex'),
  'reverie-nats/user': 'reverie',
  'reverie-nats/password': randomBytes(12).toString('hex'),
};

const work = mkdtempSync(join(tmpdir(), 'deploy-check-images-'));
const running: RunningService[] = [];
let nats: RunningNatsServer | undefined;

/** The container's environment from the local overlay, secrets filled in, then `overrides`. */
function podEnv(name: string, dockerfile: string, overrides: Env): { env: Env; configFile?: string } {
  const { objects, pods } = render('overlays/local');
  const pod = podNamed(pods, { 'app.kubernetes.io/name': name });
  const container = pod.spec.containers[0];
  const env = containerEnv(objects, container, imageEnv(parseDockerfile(readFileSync(join(DOCKER_DIR, dockerfile), 'utf8'))));
  for (const [key, value] of Object.entries(env)) {
    const secret = /^<secret (.+)>$/.exec(value)?.[1];
    if (secret === undefined) continue;
    if (!(secret in SECRETS)) throw new Error(`${name}: env ${key} refers to Secret ${secret}, which this test does not create`);
    env[key] = SECRETS[secret];
  }
  const configPath = argValue(container, 'config');
  if (configPath === undefined) return { env: { ...env, ...overrides } };
  const configFile = join(work, `${name}.json`);
  writeFileSync(configFile, mountedFile(objects, pod, container, configPath));
  return { env: { ...env, ...overrides }, configFile };
}

const LOOPBACK: Env = { REVERIE_GRPC_HOST: '127.0.0.1', REVERIE_METRICS_HOST: '127.0.0.1', REVERIE_GRPC_PORT: '0', REVERIE_METRICS_PORT: '0' };

async function start(name: string, dockerfile: string, overrides: Env): Promise<RunningService> {
  const { env, configFile } = podEnv(name, dockerfile, { ...LOOPBACK, ...overrides });
  const service = await startService(join(work, name), configFile ? ['--config', configFile] : [], env);
  running.push(service);
  return service;
}

async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the services as their images ship them', () => {
  beforeAll(async () => {
    const names = ['model-server', 'learner', 'actor'];
    await buildMissing(names);
    await Promise.all(names.map((name) => deployService(`@reverie/${name}`, join(work, name))));
    nats = await startNatsServer({ user: SECRETS['reverie-nats/user'], pass: SECRETS['reverie-nats/password'] });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await nats?.stop();
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('start from their deploy folders with the local overlay config, answer health checks, and pass weights along', async () => {
    const natsUrl = nats?.url ?? '';
    const modelServer = await start('model-server', 'model-server.Dockerfile', { REVERIE_NATS__URL: natsUrl, REVERIE_STORE_DIR: join(work, 'weights') });
    const modelServerGrpc = String(modelServer.ready.grpc);
    const learner = await start('learner', 'learner.Dockerfile', {
      REVERIE_MODEL_SERVER: modelServerGrpc, REVERIE_CHECKPOINT_DIR: join(work, 'checkpoints'),
    });
    const actor = await start('actor', 'actor.Dockerfile', {
      REVERIE_NATS__URL: natsUrl, REVERIE_LEARNER__ADDRESS: String(learner.ready.grpc),
      REVERIE_MODEL_SERVER__ADDRESS: modelServerGrpc, REVERIE_ACTOR_ID: 'actor-image-test',
    });

    expect(await grpcHealth(join(work, 'model-server'), modelServerGrpc)).toBe('SERVING');
    expect(await grpcHealth(join(work, 'learner'), String(learner.ready.grpc))).toBe('SERVING');
    for (const service of [modelServer, learner, actor]) {
      const base = String(service.ready.metrics).replace(/\/metrics$/, '');
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }

    const deadline = Date.now() + 30_000;
    let version = 0;
    while (Date.now() < deadline && !(version >= 1)) {
      await new Promise((r) => setTimeout(r, 500));
      version = await metricValue(String(actor.ready.metrics), 'reverie_actor_policy_version');
    }
    expect(version, actor.output().slice(-2000)).toBeGreaterThanOrEqual(1);
    // The CPU image trains on its default backend, WebAssembly, whose .wasm files pnpm deploy must carry.
    const metrics = await (await fetch(String(learner.ready.metrics))).text();
    expect(metrics).toMatch(/^reverie_learner_backend_info\{[^}]*backend="wasm"[^}]*\} 1$/m);
  }, 90_000);
});
