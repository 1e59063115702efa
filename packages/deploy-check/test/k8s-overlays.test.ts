/**
 * Every Kustomize target under deploy/k8s renders with the real kubectl, every object passes the
 * Kubernetes API schemas, and the rules that keep a deployment healthy hold in each of them.
 */
import { describe, expect, it } from 'vitest';
import { Namespace } from 'kubernetes-models/v1';
import { TARGETS, render } from './support/overlays.js';
import { schemaProblems, describeObject, identityOf, kindOf } from './support/schema.js';
import { imageProblems, probeProblems, resourceProblems, scrapeAnnotationProblems, securityProblems } from './support/podRules.js';
import {
  configAndSecretProblems, configMapSizeProblems, missingBudgets, scalingProblems, serviceProblems, volumeProblems,
} from './support/wiringRules.js';
import { networkPolicyProblems } from './support/networkRules.js';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

describe.each(TARGETS)('deploy/k8s/$dir', (target) => {
  it('renders with kustomize, and every object validates against the Kubernetes API schemas', () => {
    const { objects } = render(target.dir);
    expect(objects.length).toBeGreaterThan(10);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('puts every namespaced object in its namespace, and brings that namespace', () => {
    const { objects } = render(target.dir);
    const misplaced = objects
      .filter((object) => !CLUSTER_SCOPED.has(String(kindOf(object))))
      .filter((object) => identityOf(object).namespace !== target.namespace)
      .map(describeObject);
    expect(misplaced).toEqual([]);
    if (target.namespace === undefined) return;
    // The namespace itself comes along, enforcing the restricted Pod Security Standard the pods meet.
    const namespace = objects.filter(Namespace.is).find((ns) => ns.metadata?.name === target.namespace);
    expect(namespace?.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('gives every container probes, resource requests and limits, a pinned image and no root', () => {
    const { pods } = render(target.dir);
    expect(pods.length).toBeGreaterThanOrEqual(4);
    expect(probeProblems(pods)).toEqual([]);
    expect(resourceProblems(pods)).toEqual([]);
    expect(imageProblems(pods)).toEqual([]);
    expect(securityProblems(pods)).toEqual([]);
    expect(scrapeAnnotationProblems(pods)).toEqual([]);
  });

  it('wires Services to real pods and ports, volumes to rendered claims, and refers to Secrets only', () => {
    const { objects, pods } = render(target.dir);
    expect(serviceProblems(objects, pods)).toEqual([]);
    expect(volumeProblems(objects, pods)).toEqual([]);
    expect(configAndSecretProblems(objects, pods)).toEqual([]);
    expect(scalingProblems(objects, pods)).toEqual([]);
    expect(missingBudgets(objects, pods)).toEqual([]);
    expect(configMapSizeProblems(objects)).toEqual([]);
  });

  it('denies ingress by default and gives every component a NetworkPolicy whose ports exist', () => {
    const { objects, pods } = render(target.dir);
    expect(networkPolicyProblems(objects, pods)).toEqual([]);
  });
});
