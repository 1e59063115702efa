/**
 * What each deploy/k8s target is for: the gpu overlay asks for a GPU, local is small, monitoring
 * provisions every dashboard, the scale experiment follows its parameters, and the NetworkPolicies
 * let exactly the system's conversations through.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { render } from './support/overlays.js';
import { describeObject, schemaProblems } from './support/schema.js';
import { DEPLOY_DIR, GRAFANA_DIR, K8S_DIR } from './support/repo.js';
import { KUSTOMIZE_BIN, parseDocuments } from './support/kustomize.js';
import { ingressAllowed, podNamed, type Source } from './support/networkRules.js';
import { referencedNames } from './support/wiringRules.js';
import { containerEnv, mountPathOf, mountedFile } from './support/containerEnv.js';
import type { PodTemplate } from './support/pods.js';

function named(pods: readonly PodTemplate[], name: string): PodTemplate {
  return podNamed(pods, { 'app.kubernetes.io/name': name });
}

/** A ConfigMap by name, generated (`name-<hash>`) or listed as is. */
function configMap(objects: readonly unknown[], name: string) {
  const found = objects.filter(ConfigMap.is).find((cm) => cm.metadata?.name === name || cm.metadata?.name?.startsWith(`${name}-`));
  if (!found) throw new Error(`no ConfigMap ${name} (or ${name}-<hash>) rendered`);
  return found;
}

/** CPU quantity in cores ("250m" -> 0.25, "2" -> 2). */
function cores(quantity: string | number | undefined): number {
  const text = String(quantity ?? 0);
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

function totalCpuRequests(pods: readonly PodTemplate[]): number {
  return pods.flatMap((p) => p.spec.containers).reduce((sum, c) => sum + cores(c.resources?.requests?.cpu), 0);
}

describe('deploy/k8s targets', () => {
  it('gpu: the learner runs the CUDA image on one GPU node, and nothing else asks for a GPU', () => {
    const { pods } = render('overlays/gpu');
    const learner = named(pods, 'learner');
    const container = learner.spec.containers[0];
    expect(container.image).toMatch(/^reverie\/learner-gpu:\d/);
    expect(String(container.resources?.limits?.['nvidia.com/gpu'])).toBe('1');
    expect(String(container.resources?.requests?.['nvidia.com/gpu'])).toBe('1');
    expect(container.env?.find((v) => v.name === 'REVERIE_BACKEND')?.value).toBe('tensorflow');
    expect(learner.spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(learner.spec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    const others = pods.filter((p) => p !== learner).flatMap((p) => p.spec.containers);
    expect(others.filter((c) => c.resources?.limits?.['nvidia.com/gpu'] !== undefined).map((c) => c.name)).toEqual([]);
    // The patch adds to the learner's env; it must not replace the secrets and config it had.
    expect(container.env?.map((v) => v.name)).toContain('REVERIE_MODEL_SERVER_TOKEN');
  });

  it('local: asks for less CPU than the base, runs one actor, and no GPU', () => {
    const local = render('overlays/local');
    const base = render('base');
    expect(totalCpuRequests(local.pods)).toBeLessThan(totalCpuRequests(base.pods) / 2);
    expect(totalCpuRequests(local.pods)).toBeLessThanOrEqual(1.5);
    const actor = local.objects.filter(Deployment.is).find((d) => d.metadata?.name === 'actor');
    expect(actor?.spec?.replicas).toBe(1);
    expect(named(local.pods, 'learner').spec.containers[0].image).toMatch(/^reverie\/learner:\d/);
  });

  it('monitoring: Grafana gets every dashboard in grafana/dashboards and the provisioning files', () => {
    const { objects, pods } = render('overlays/monitoring');
    const dashboards = readdirSync(join(GRAFANA_DIR, 'dashboards')).filter((f) => f.endsWith('.json')).sort();
    expect(dashboards.length).toBeGreaterThan(0);
    expect(Object.keys(configMap(objects, 'grafana-dashboards').data ?? {}).sort()).toEqual(dashboards);
    const datasources = configMap(objects, 'grafana-datasources').data ?? {};
    expect(Object.values(datasources).join('\n')).toContain('type: prometheus');
    const grafana = named(pods, 'grafana').spec.containers[0];
    expect(grafana.env?.find((v) => v.name === 'PROMETHEUS_URL')?.value).toBe('http://prometheus:9090');
    expect(referencedNames(named(pods, 'grafana')).secrets).toEqual(new Set(['reverie-grafana']));
  });

  it('monitoring: Prometheus discovers annotated pods of its own namespace', () => {
    const { objects } = render('overlays/monitoring');
    const config = parse(configMap(objects, 'prometheus-config').data?.['prometheus.yml'] ?? '');
    const job = config.scrape_configs[0];
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { own_namespace: true } }]);
    expect(job.relabel_configs[0]).toMatchObject({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true',
    });
  });

  it('scale: ACTORS actor pods in one Job, ENVS_PER_ACTOR envs each, and no autoscaled actors', () => {
    const { objects } = render('scale');
    const params = configMap(objects, 'scale-params').data ?? {};
    const jobs = objects.filter(Job.is);
    expect(jobs.map((j) => j.metadata?.name)).toEqual(['actor-scale']);
    const spec = jobs[0].spec;
    expect(spec?.parallelism).toBe(Number(params.ACTORS));
    expect(spec?.completions).toBe(Number(params.ACTORS));
    const env = spec?.template.spec?.containers[0].env ?? [];
    expect(env.find((v) => v.name === 'REVERIE_NUM_ENVS')?.valueFrom?.configMapKeyRef?.key).toBe('ENVS_PER_ACTOR');
    const kinds = objects.map(describeObject);
    expect(kinds).not.toContain('Deployment/actor');
    expect(kinds).not.toContain('HorizontalPodAutoscaler/actor');
    expect(kinds).toContain('Deployment/prometheus');
  });

  it('scale/render-point.sh renders the point it is asked for, valid, and refuses a count of 0', () => {
    const script = join(K8S_DIR, 'scale', 'render-point.sh');
    const run = spawnSync('bash', [script, '3', '2', '45'], { encoding: 'utf8', env: { ...process.env, KUSTOMIZE: KUSTOMIZE_BIN } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const objects = parseDocuments(run.stdout);
    expect(schemaProblems(objects)).toEqual([]);
    expect(objects.filter(Job.is).map((j) => [j.spec?.parallelism, j.spec?.completions])).toEqual([[3, 3]]);
    expect(configMap(objects, 'scale-params').data).toEqual({ ACTORS: '3', ENVS_PER_ACTOR: '2', DURATION_SECONDS: '45' });
    const refused = spawnSync('bash', [script, '0', '2', '45'], { encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("'0' is not a positive whole number");
  });

  it('nats: the rendered config is valid for nats-server with the env the pod gives it, and keeps JetStream on the claim', () => {
    const { objects, pods } = render('overlays/local');
    const pod = named(pods, 'nats');
    const container = pod.spec.containers.find((c) => c.name === 'nats');
    if (!container) throw new Error('no nats container');
    const configPath = container.args?.[container.args.indexOf('--config') + 1] ?? '';
    const text = mountedFile(objects, pod, container, configPath);
    const storeDir = /store_dir:\s*(\S+)/.exec(text)?.[1] ?? '';
    expect(storeDir.startsWith(`${mountPathOf(container, 'data')}/`)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'deploy-check-nats-'));
    try {
      const file = join(dir, 'nats.conf');
      writeFileSync(file, text.replace(storeDir, join(dir, 'jetstream')));
      const env = Object.fromEntries(Object.entries(containerEnv(objects, container)).map(([k, v]) => [k, v.replace(/^<.*>$/, 'placeholder')]));
      const check = spawnSync('nats-server', ['-c', file, '-t'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
      expect(check.error, 'nats-server must be on PATH (Debian package nats-server)').toBeUndefined();
      expect(`${check.stdout}${check.stderr}`).toContain('is valid');
      const withoutSecrets = spawnSync('nats-server', ['-c', file, '-t'], { encoding: 'utf8', env: { PATH: process.env.PATH, POD_NAME: 'nats-0' } });
      expect(withoutSecrets.status).not.toBe(0);
      expect(withoutSecrets.stderr).toContain("'NATS_USER'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents how to create every Secret the manifests refer to', () => {
    const readme = readFileSync(join(DEPLOY_DIR, 'README.md'), 'utf8');
    const secrets = new Set(['overlays/monitoring', 'overlays/gpu', 'scale']
      .flatMap((dir) => render(dir).pods.flatMap((pod) => [...referencedNames(pod).secrets])));
    expect(secrets.size).toBeGreaterThanOrEqual(3);
    for (const name of secrets) expect(readme).toMatch(new RegExp(`kubectl create secret generic ${name}\\b`));
  });
});

describe('deploy/k8s NetworkPolicies', () => {
  const { objects, pods } = render('overlays/monitoring');
  const inNamespace = (name: string): Source => ({
    podLabels: { 'app.kubernetes.io/name': name }, namespaceLabels: { 'kubernetes.io/metadata.name': 'reverie' }, sameNamespace: true,
  });
  const simulator: Source = {
    podLabels: { 'reverie.dev/simulator': 'true' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'sims' }, sameNamespace: false,
  };
  const stranger: Source = { podLabels: { app: 'other' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'reverie' }, sameNamespace: true };

  it.each([
    ['actor', 'learner', 'grpc'], ['actor', 'nats', 'client'], ['model-server', 'nats', 'client'],
    ['learner', 'model-server', 'grpc'], ['actor', 'model-server', 'grpc'], ['grafana', 'prometheus', 'http'],
    ['prometheus', 'actor', 'metrics'], ['prometheus', 'learner', 'metrics'], ['prometheus', 'model-server', 'metrics'],
    ['prometheus', 'nats', 'metrics'],
  ])('let %s reach %s:%s', (from, to, port) => {
    expect(ingressAllowed(objects, named(pods, to), port, inNamespace(from))).toBe(true);
  });

  it.each([
    ['actor', 'nats', 'monitor'], ['learner', 'actor', 'metrics'], ['model-server', 'learner', 'grpc'],
    ['actor', 'prometheus', 'http'], ['nats', 'model-server', 'grpc'], ['learner', 'nats', 'client'],
  ])('keep %s from %s:%s', (from, to, port) => {
    expect(ingressAllowed(objects, named(pods, to), port, inNamespace(from))).toBe(false);
  });

  it('let simulators (labelled, any namespace) reach only the model-server gRPC port', () => {
    expect(ingressAllowed(objects, named(pods, 'model-server'), 'grpc', simulator)).toBe(true);
    expect(ingressAllowed(objects, named(pods, 'model-server'), 'metrics', simulator)).toBe(false);
    expect(ingressAllowed(objects, named(pods, 'learner'), 'grpc', simulator)).toBe(false);
    expect(ingressAllowed(objects, named(pods, 'nats'), 'client', simulator)).toBe(false);
  });

  it('keep an unlabelled pod of the same namespace out of everything', () => {
    for (const [to, port] of [['model-server', 'grpc'], ['learner', 'grpc'], ['nats', 'client'], ['actor', 'metrics'], ['grafana', 'http']]) {
      expect(ingressAllowed(objects, named(pods, to), port, stranger), `${to}:${port}`).toBe(false);
    }
  });
});
