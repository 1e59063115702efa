/**
 * The services read the deployment the way it is meant: each service's own config loader is fed what
 * its container holds (the image's ENV, the rendered ConfigMaps, env and Secret references, the
 * mounted config file), and the ports, bind addresses, data directories, peers and secrets it ends
 * up with must be the ones the manifests and Dockerfiles declare. A renamed config field breaks this.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigMap } from 'kubernetes-models/v1';
import { loadModelServerConfig } from '../../../services/model-server/src/index.js';
import { resolveConfig } from '../../../services/learner/src/index.js';
import { loadActorConfig } from '../../../services/actor/src/index.js';
import { render } from './support/overlays.js';
import { podNamed } from './support/networkRules.js';
import { argValue, containerEnv, mountPathOf, mountedFile } from './support/containerEnv.js';
import { imageEnv, parseDockerfile } from './support/dockerfileRules.js';
import { DOCKER_DIR } from './support/repo.js';
import { SERVICE_IMAGES } from './support/services.js';
import type { PodTemplate } from './support/pods.js';

const scratch = mkdtempSync(join(tmpdir(), 'deploy-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function dockerEnv(dockerfile: string): Record<string, string> {
  return imageEnv(parseDockerfile(readFileSync(join(DOCKER_DIR, dockerfile), 'utf8')));
}

function portsOf(pod: PodTemplate): Record<string, number> {
  return Object.fromEntries((pod.spec.containers[0].ports ?? []).map((p) => [p.name, p.containerPort]));
}

function service(dir: string, name: string) {
  const { objects, pods } = render(dir);
  const pod = podNamed(pods, { 'app.kubernetes.io/name': name });
  return { objects, pod, container: pod.spec.containers[0] };
}

describe.each(['overlays/local', 'overlays/gpu'])('service configs in %s', (dir) => {
  it('model-server: listens on its declared ports, stores weights on its volume, joins NATS with the secret', () => {
    const { objects, pod, container } = service(dir, 'model-server');
    const configPath = argValue(container, 'config');
    expect(configPath).toBeDefined();
    const file = join(scratch, `model-server-${dir.replace('/', '-')}.json`);
    writeFileSync(file, mountedFile(objects, pod, container, configPath ?? ''));
    const env = containerEnv(objects, container, dockerEnv('model-server.Dockerfile'));
    const config = loadModelServerConfig({ file, env, flags: {} });
    expect({ grpc: config.grpcPort, metrics: config.metricsPort }).toEqual(portsOf(pod));
    expect([config.grpcHost, config.metricsHost]).toEqual(['0.0.0.0', '0.0.0.0']);
    expect(config.storeDir).toBe(mountPathOf(container, 'weights'));
    expect(config.nats).toEqual({ url: 'nats://nats:4222', user: '<secret reverie-nats/user>', pass: '<secret reverie-nats/password>', nkeySeed: undefined });
    expect(config.token).toBe('<secret reverie-auth/model-server-token>');
  });

  it('learner: listens on its declared ports, checkpoints on its volume, publishes to the model-server with its token', () => {
    const { objects, pod, container } = service(dir, 'learner');
    const gpu = dir.endsWith('gpu');
    const env = containerEnv(objects, container, dockerEnv(gpu ? 'learner-gpu.Dockerfile' : 'learner.Dockerfile'));
    const config = resolveConfig({}, env);
    expect({ grpc: config.grpcPort, metrics: config.metricsPort }).toEqual(portsOf(pod));
    expect([config.grpcHost, config.metricsHost]).toEqual(['0.0.0.0', '0.0.0.0']);
    expect(config.checkpointDir).toBe(mountPathOf(container, 'checkpoints'));
    const modelServer = service(dir, 'model-server');
    expect(config.modelServer).toBe(`model-server:${portsOf(modelServer.pod).grpc}`);
    expect(config.modelServerToken).toBe('<secret reverie-auth/model-server-token>');
    expect(config.token).toBe('<secret reverie-auth/learner-token>');
    expect(config.backend).toBe(gpu ? 'tensorflow' : 'auto');
  });
});

function expectActorWiring(dir: string, config: ReturnType<typeof loadActorConfig>, pod: PodTemplate): void {
  expect(config.metricsPort).toBe(portsOf(pod).metrics);
  expect(config.metricsHost).toBe('0.0.0.0');
  expect(config.actorId).toBe('<field metadata.name>');
  expect(config.learner).toEqual({ address: `learner:${portsOf(service(dir, 'learner').pod).grpc}`, token: '<secret reverie-auth/learner-token>' });
  expect(config.modelServer.address).toBe(`model-server:${portsOf(service(dir, 'model-server').pod).grpc}`);
  expect(config.nats).toEqual({ url: 'nats://nats:4222', user: '<secret reverie-nats/user>', password: '<secret reverie-nats/password>' });
}

function actorConfigOf(dir: string, pod: PodTemplate): ReturnType<typeof loadActorConfig> {
  const { objects } = render(dir);
  const container = pod.spec.containers[0];
  // The scale Job wraps the process in `sh -c 'timeout ... --config <file>'`; the Deployment passes args.
  const configPath = argValue(container, 'config') ?? /--config (\S+?);?\s/.exec(container.args?.join(' ') ?? '')?.[1];
  const file = join(scratch, `actor-${dir.replace('/', '-')}.json`);
  writeFileSync(file, mountedFile(objects, pod, container, configPath ?? ''));
  return loadActorConfig({ file, env: containerEnv(objects, container, dockerEnv('actor.Dockerfile')), flags: {} });
}

describe('actor configs', () => {
  it.each(['overlays/local', 'overlays/gpu'])('%s: actors reach the learner and model-server, with their tokens and NATS', (dir) => {
    const { pod } = service(dir, 'actor');
    const config = actorConfigOf(dir, pod);
    expectActorWiring(dir, config, pod);
    expect(config.numEnvs).toBe(dir.endsWith('local') ? 16 : 64);
  });

  it('scale: each Job actor steps ENVS_PER_ACTOR envs with one worker', () => {
    const { objects, pods } = render('scale');
    const pod = pods.find((p) => p.kind === 'Job');
    if (!pod) throw new Error('scale renders no Job');
    const config = actorConfigOf('scale', pod);
    expectActorWiring('scale', config, pod);
    const params = objects.filter(ConfigMap.is).find((cm) => cm.metadata?.name === 'scale-params')?.data ?? {};
    expect(config.numEnvs).toBe(Number(params.ENVS_PER_ACTOR));
    expect(config.workers).toBe(1);
  });
});

describe('images run without Kubernetes', () => {
  it.each(SERVICE_IMAGES.filter((s) => s.service !== 'actor'))('$dockerfile listens on every interface at the ports it EXPOSEs', (svc) => {
    const env = dockerEnv(svc.dockerfile);
    const config = svc.service === 'model-server' ? loadModelServerConfig({ env, flags: {} }) : resolveConfig({}, env);
    expect({ grpc: config.grpcPort, metrics: config.metricsPort }).toEqual(svc.ports);
    expect([config.grpcHost, config.metricsHost]).toEqual(['0.0.0.0', '0.0.0.0']);
  });

  it('actor.Dockerfile serves metrics on every interface at the port it EXPOSEs', () => {
    const config = loadActorConfig({ env: dockerEnv('actor.Dockerfile'), flags: {} });
    const actor = SERVICE_IMAGES.find((s) => s.service === 'actor');
    expect([config.metricsHost, config.metricsPort]).toEqual(['0.0.0.0', actor?.ports.metrics]);
  });
});
