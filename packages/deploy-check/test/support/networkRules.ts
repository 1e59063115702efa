/**
 * NetworkPolicy semantics, enough to ask "may this pod reach that port?" of the rendered policies:
 * label selectors (matchLabels, matchExpressions), pod and namespace peers, named and numbered ports.
 * Sources are described by their labels; egress is not restricted by Reverie's policies.
 */
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { selectorMatches, type PodTemplate } from './pods.js';

type Spec = NonNullable<INetworkPolicy['spec']>;
type Selector = Spec['podSelector'];
type Rule = NonNullable<Spec['ingress']>[number];
type Peer = NonNullable<Rule['from']>[number];

/** Who opens a connection: its pod labels, its namespace's labels, and whether it shares the target's namespace. */
export interface Source {
  podLabels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  sameNamespace: boolean;
}

function isEmptySelector(selector: Selector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/** Kubernetes label-selector semantics: `{}` selects everything. */
export function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In': return key in labels && values.includes(labels[key]);
      case 'NotIn': return !(key in labels) || !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

function peerAdmits(peer: Peer, source: Source): boolean {
  if (peer.ipBlock) return false;
  const podOk = peer.podSelector === undefined || selects(peer.podSelector, source.podLabels);
  const namespaceOk = peer.namespaceSelector === undefined ? source.sameNamespace : selects(peer.namespaceSelector, source.namespaceLabels);
  return podOk && namespaceOk;
}

function ruleAdmits(rule: Rule, source: Source, port: { name?: string; containerPort: number }): boolean {
  const fromOk = (rule.from ?? []).length === 0 || (rule.from ?? []).some((peer) => peerAdmits(peer, source));
  const portOk = (rule.ports ?? []).length === 0 ||
    (rule.ports ?? []).some((p) => p.port === undefined || p.port === port.name || p.port === port.containerPort);
  return fromOk && portOk;
}

function ingressPolicies(objects: readonly unknown[]): INetworkPolicy[] {
  return objects.filter(NetworkPolicy.is).filter((policy) => (policy.spec?.policyTypes ?? ['Ingress']).includes('Ingress'));
}

/** May `source` open a connection to `target`'s container port named `portName`? */
export function ingressAllowed(objects: readonly unknown[], target: PodTemplate, portName: string, source: Source): boolean {
  const port = target.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === portName);
  if (!port) throw new Error(`${target.owner} has no container port named ${portName}`);
  const selecting = ingressPolicies(objects).filter((policy) => selects(policy.spec?.podSelector, target.labels));
  if (selecting.length === 0) return true; // a pod no policy selects is not isolated
  return selecting.some((policy) => (policy.spec?.ingress ?? []).some((rule) => ruleAdmits(rule, source, port)));
}

/** A default-deny policy exists, every pod has an allow policy of its own, and every allow policy's ports exist. */
export function networkPolicyProblems(objects: readonly unknown[], pods: readonly PodTemplate[]): string[] {
  const policies = ingressPolicies(objects);
  const problems: string[] = [];
  const denyAll = policies.some((p) => isEmptySelector(p.spec?.podSelector) && (p.spec?.ingress ?? []).length === 0);
  if (!denyAll) problems.push('no default-deny ingress NetworkPolicy (podSelector {}, no ingress rules)');
  const allowPolicies = policies.filter((p) => !isEmptySelector(p.spec?.podSelector));
  for (const pod of pods) {
    if (!allowPolicies.some((p) => selects(p.spec?.podSelector, pod.labels))) problems.push(`${pod.owner}: no NetworkPolicy of its own`);
  }
  for (const policy of allowPolicies) {
    const where = `NetworkPolicy/${policy.metadata?.name}`;
    const selected = pods.filter((pod) => selects(policy.spec?.podSelector, pod.labels));
    if (selected.length === 0) problems.push(`${where}: selects no pod template`);
    for (const port of (policy.spec?.ingress ?? []).flatMap((rule) => rule.ports ?? [])) {
      for (const pod of selected) {
        const declared = pod.spec.containers.flatMap((c) => c.ports ?? []);
        if (!declared.some((p) => p.name === port.port || p.containerPort === port.port)) {
          problems.push(`${where}: allows port ${port.port}, which ${pod.owner} does not declare`);
        }
      }
    }
  }
  return problems;
}

/** The pod template whose labels match `labels`, or an error naming what was looked for. */
export function podNamed(pods: readonly PodTemplate[], labels: Record<string, string>): PodTemplate {
  const pod = pods.find((p) => selectorMatches(labels, p.labels));
  if (!pod) throw new Error(`no pod template with labels ${JSON.stringify(labels)}`);
  return pod;
}
