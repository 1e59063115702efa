/** The pod templates of rendered workloads, with what the rules need to know about their owner. */
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import type { IIoK8sApiCoreV1PodSpec as PodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container';

export type { PodSpec, Container };

export interface PodTemplate {
  /** `Kind/name` of the workload. */
  owner: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
  /** Names of a StatefulSet's volumeClaimTemplates (volumes its pods get without a `volumes` entry). */
  claimTemplates: string[];
}

/** Every pod template of the Deployments, StatefulSets and Jobs among `objects`. */
export function podTemplates(objects: readonly unknown[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const object of objects) {
    if (Deployment.is(object) || StatefulSet.is(object) || Job.is(object)) {
      const template = object.spec?.template;
      if (!template?.spec) continue;
      const claimTemplates = StatefulSet.is(object)
        ? (object.spec?.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name ?? '')
        : [];
      templates.push({
        owner: `${object.kind}/${object.metadata?.name}`,
        kind: object.kind,
        name: object.metadata?.name ?? '',
        namespace: object.metadata?.namespace,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec,
        claimTemplates,
      });
    }
  }
  return templates;
}

/** Containers and init containers of a pod, each with a label for messages. */
export function allContainers(pod: PodTemplate): { where: string; container: Container }[] {
  const main = pod.spec.containers.map((container) => ({ where: `${pod.owner} container ${container.name}`, container }));
  const init = (pod.spec.initContainers ?? []).map((container) => ({
    where: `${pod.owner} init container ${container.name}`,
    container,
  }));
  return [...main, ...init];
}

/** True when every `key: value` of `selector` is among `labels` (an empty selector matches nothing here). */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
