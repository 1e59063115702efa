/**
 * The rules of k8s-overlays.test.ts catch what they claim to: each is run on a copy of the rendered
 * local overlay with one thing broken, and must name it.
 */
import { describe, expect, it } from 'vitest';
import { render } from './support/overlays.js';
import { podTemplates, type PodTemplate } from './support/pods.js';
import { identityOf, schemaProblems } from './support/schema.js';
import { imageProblems, probeProblems, resourceProblems, securityProblems, unpinnedImageReason } from './support/podRules.js';
import { configAndSecretProblems, configMapSizeProblems, serviceProblems, volumeProblems } from './support/wiringRules.js';
import { networkPolicyProblems } from './support/networkRules.js';

/** A deep copy of the local overlay, its pod templates pointing into the copy, so they can be broken. */
function brokenCopy(): { objects: unknown[]; pods: PodTemplate[]; pod: (name: string) => PodTemplate } {
  const objects = structuredClone(render('overlays/local').objects);
  const pods = podTemplates(objects);
  const pod = (name: string) => {
    const found = pods.find((p) => p.name === name);
    if (!found) throw new Error(`no workload ${name}`);
    return found;
  };
  return { objects, pods, pod };
}

describe('deploy/k8s rules', () => {
  it('the intact local overlay passes them all', () => {
    const { objects, pods } = brokenCopy();
    expect([...probeProblems(pods), ...serviceProblems(objects, pods), ...networkPolicyProblems(objects, pods)]).toEqual([]);
  });

  it('schema validation rejects a wrongly typed field and an unknown kind', () => {
    const { objects, pod } = brokenCopy();
    Object.assign(pod('actor').spec.containers[0], { image: 42 });
    objects.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const problems = schemaProblems(objects);
    expect(problems.some((p) => p.startsWith('Deployment/actor:') && p.includes('image must be string'))).toBe(true);
    expect(problems).toContain('Widget/w: no schema for apiVersion example.com/v1 kind Widget');
  });

  it('probes: a missing readiness probe, and an HTTP probe on a gRPC server', () => {
    const { pods, pod } = brokenCopy();
    delete pod('actor').spec.containers[0].readinessProbe;
    pod('model-server').spec.containers[0].livenessProbe = { tcpSocket: { port: 50551 } };
    expect(probeProblems(pods).sort()).toEqual([
      'Deployment/actor container actor: readinessProbe must have exactly one handler (found none)',
      'Deployment/model-server container model-server: livenessProbe must be a grpc probe on the gRPC port 50551',
    ]);
  });

  it('resources, images and users', () => {
    const { pods, pod } = brokenCopy();
    const learner = pod('learner').spec.containers[0];
    delete learner.resources?.limits?.memory;
    learner.image = 'reverie/learner';
    const podContext = pod('learner').spec.securityContext;
    if (podContext) podContext.runAsNonRoot = false;
    delete podContext?.seccompProfile;
    delete learner.securityContext?.capabilities;
    expect(resourceProblems(pods)).toEqual(['StatefulSet/learner container learner: no limits.memory']);
    expect(imageProblems(pods)).toEqual(['StatefulSet/learner container learner: image reverie/learner has no tag (it would pull latest)']);
    expect(securityProblems(pods)).toEqual([
      'StatefulSet/learner: securityContext.runAsNonRoot must be true',
      'StatefulSet/learner container learner: must drop ALL capabilities',
      'StatefulSet/learner container learner: needs seccompProfile RuntimeDefault',
    ]);
    expect(unpinnedImageReason('registry:5000/reverie/actor:latest')).toBe('image registry:5000/reverie/actor:latest uses the latest tag');
    expect(unpinnedImageReason('registry:5000/reverie/actor')).toMatch(/has no tag/);
    expect(unpinnedImageReason('reverie/actor@sha256:0123')).toBeNull();
  });

  it('a Service port aimed at an undeclared container port, and a claim that is not rendered', () => {
    const { objects, pods, pod } = brokenCopy();
    const ports = pod('learner').spec.containers[0].ports ?? [];
    ports[0].name = 'grpc-renamed';
    const weights = pod('model-server').spec.volumes?.find((v) => v.persistentVolumeClaim);
    if (weights?.persistentVolumeClaim) weights.persistentVolumeClaim.claimName = 'nowhere';
    expect(serviceProblems(objects, pods)).toContain('Service/learner: port grpc targets grpc, which StatefulSet/learner does not declare');
    expect(volumeProblems(objects, pods)).toEqual([
      'Deployment/model-server: volume weights claims nowhere, which is not rendered',
      'PersistentVolumeClaim/model-server-weights: mounted by no pod',
    ]);
  });

  it('an inlined Secret or token, and a ConfigMap reference kustomize did not rename', () => {
    const { objects, pods, pod } = brokenCopy();
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'reverie-auth', namespace: 'reverie' }, stringData: { token: 'x' } });
    const config = pod('actor').spec.volumes?.find((v) => v.configMap);
    if (config?.configMap) config.configMap.name = 'reverie-config';
    pod('learner').spec.containers[0].env?.push({ name: 'REVERIE_MODEL_SERVER_TOKEN', value: 'inlined' });
    expect(configAndSecretProblems(objects, pods)).toEqual([
      'Secret/reverie-auth: Secrets must only be referenced, never rendered',
      'StatefulSet/learner container learner: REVERIE_MODEL_SERVER_TOKEN must come from a secretKeyRef',
      'Deployment/actor: refers to ConfigMap reverie-config, which is not rendered',
    ]);
  });

  it('a ConfigMap too big for kubectl apply', () => {
    const { objects } = brokenCopy();
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { 'big.json': 'x'.repeat(250_000) } });
    expect(configMapSizeProblems(objects)).toEqual([
      "ConfigMap/huge: 250008 bytes of data is too close to kubectl apply's 262144-byte annotation limit",
    ]);
  });

  it('NetworkPolicies: no default deny, and a component left without a policy', () => {
    const { objects, pods } = brokenCopy();
    const kept = objects.filter((o) => {
      const { kind, name } = identityOf(o);
      return !(kind === 'NetworkPolicy' && (name === 'default-deny-ingress' || name === 'learner'));
    });
    expect(networkPolicyProblems(kept, pods)).toEqual([
      'no default-deny ingress NetworkPolicy (podSelector {}, no ingress rules)',
      'StatefulSet/learner: no NetworkPolicy of its own',
    ]);
  });
});
