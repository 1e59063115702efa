/**
 * Rules about how rendered objects refer to each other: Services to pods and ports, volumes to
 * claims, env and volumes to ConfigMaps and Secrets, autoscalers and budgets to workloads.
 */
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { describeObject, kindOf } from './schema.js';
import { allContainers, selectorMatches, type PodTemplate } from './pods.js';

function containerPorts(pod: PodTemplate): { name?: string; containerPort: number }[] {
  return pod.spec.containers.flatMap((container) => container.ports ?? []);
}

/** Every Service selects some pod template, and each targetPort names or numbers one of its ports. */
export function serviceProblems(objects: readonly unknown[], pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const service of objects.filter(Service.is)) {
    const where = describeObject(service);
    const selected = pods.filter((pod) => selectorMatches(service.spec?.selector, pod.labels));
    if (selected.length === 0) {
      problems.push(`${where}: selector ${JSON.stringify(service.spec?.selector ?? {})} matches no pod template`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const pod of selected) {
        const found = containerPorts(pod).some((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
        if (!found) problems.push(`${where}: port ${port.name ?? port.port} targets ${target}, which ${pod.owner} does not declare`);
      }
    }
  }
  return problems;
}

/** Every claim a pod mounts exists (as a PVC object or a volumeClaimTemplate) and every mount names a volume. */
export function volumeProblems(objects: readonly unknown[], pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  const claims = new Set(objects.filter(PersistentVolumeClaim.is).map((pvc) => pvc.metadata?.name));
  const usedClaims = new Set<string>();
  for (const pod of pods) {
    const volumes = new Set([...(pod.spec.volumes ?? []).map((v) => v.name), ...pod.claimTemplates]);
    for (const volume of pod.spec.volumes ?? []) {
      const claim = volume.persistentVolumeClaim?.claimName;
      if (claim === undefined) continue;
      usedClaims.add(claim);
      if (!claims.has(claim)) problems.push(`${pod.owner}: volume ${volume.name} claims ${claim}, which is not rendered`);
    }
    for (const { where, container } of allContainers(pod)) {
      for (const mount of container.volumeMounts ?? []) {
        if (!volumes.has(mount.name)) problems.push(`${where}: mounts ${mount.name}, which is no volume of the pod`);
      }
    }
  }
  for (const claim of claims) {
    if (claim !== undefined && !usedClaims.has(claim)) problems.push(`PersistentVolumeClaim/${claim}: mounted by no pod`);
  }
  return problems;
}

/** The Secret and ConfigMap names a pod refers to, from env, envFrom and volumes. */
export function referencedNames(pod: PodTemplate): { secrets: Set<string>; configMaps: Set<string> } {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  for (const volume of pod.spec.volumes ?? []) {
    if (volume.secret?.secretName) secrets.add(volume.secret.secretName);
    if (volume.configMap?.name) configMaps.add(volume.configMap.name);
  }
  for (const { container } of allContainers(pod)) {
    for (const source of container.envFrom ?? []) {
      if (source.secretRef?.name) secrets.add(source.secretRef.name);
      if (source.configMapRef?.name) configMaps.add(source.configMapRef.name);
    }
    for (const variable of container.env ?? []) {
      if (variable.valueFrom?.secretKeyRef?.name) secrets.add(variable.valueFrom.secretKeyRef.name);
      if (variable.valueFrom?.configMapKeyRef?.name) configMaps.add(variable.valueFrom.configMapKeyRef.name);
    }
  }
  return { secrets, configMaps };
}

const SECRET_NAME = /TOKEN|PASSWORD|PASS$|SECRET|API_?KEY|PRIVATE_?KEY|NKEY|CREDENTIAL/i;

/**
 * No Secret is rendered (they are created by hand), no secret-looking variable carries a literal
 * value instead of a secretKeyRef, and every referenced ConfigMap is rendered.
 */
export function configAndSecretProblems(objects: readonly unknown[], pods: readonly PodTemplate[]): string[] {
  const problems = objects
    .filter((object) => kindOf(object) === 'Secret')
    .map((object) => `${describeObject(object)}: Secrets must only be referenced, never rendered`);
  for (const pod of pods) {
    for (const { where, container } of allContainers(pod)) {
      for (const variable of container.env ?? []) {
        if (SECRET_NAME.test(variable.name) && !variable.valueFrom?.secretKeyRef) {
          problems.push(`${where}: ${variable.name} must come from a secretKeyRef`);
        }
      }
    }
  }
  const configMaps = new Set(objects.filter(ConfigMap.is).map((cm) => cm.metadata?.name));
  for (const pod of pods) {
    for (const name of referencedNames(pod).configMaps) {
      if (!configMaps.has(name)) problems.push(`${pod.owner}: refers to ConfigMap ${name}, which is not rendered`);
    }
  }
  return problems;
}

/** Each HorizontalPodAutoscaler scales a rendered workload; each PodDisruptionBudget selects some pods. */
export function scalingProblems(objects: readonly unknown[], pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const hpa of objects.filter(HorizontalPodAutoscaler.is)) {
    const target = hpa.spec?.scaleTargetRef;
    if (!pods.some((pod) => pod.kind === target?.kind && pod.name === target?.name)) {
      problems.push(`${describeObject(hpa)}: scales ${target?.kind}/${target?.name}, which is not rendered`);
    }
  }
  for (const pdb of objects.filter(PodDisruptionBudget.is)) {
    if (!pods.some((pod) => selectorMatches(pdb.spec?.selector?.matchLabels, pod.labels))) {
      problems.push(`${describeObject(pdb)}: selects no pod template`);
    }
  }
  return problems;
}

/** Workloads without a PodDisruptionBudget (Jobs are exempt: they end by themselves). */
export function missingBudgets(objects: readonly unknown[], pods: readonly PodTemplate[]): string[] {
  const budgets = objects.filter(PodDisruptionBudget.is);
  return pods
    .filter((pod) => pod.kind !== 'Job')
    .filter((pod) => !budgets.some((pdb) => selectorMatches(pdb.spec?.selector?.matchLabels, pod.labels)))
    .map((pod) => `${pod.owner}: no PodDisruptionBudget selects it`);
}

/** `kubectl apply` keeps the whole object in an annotation, which may hold at most 256 KiB. */
export const APPLY_ANNOTATION_LIMIT_BYTES = 262_144;

/** ConfigMaps too big for client-side `kubectl apply` (their data, with room for the rest of the object). */
export function configMapSizeProblems(objects: readonly unknown[]): string[] {
  return objects.filter(ConfigMap.is).flatMap((cm) => {
    const bytes = Object.entries(cm.data ?? {}).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    return bytes > APPLY_ANNOTATION_LIMIT_BYTES * 0.9
      ? [`${describeObject(cm)}: ${bytes} bytes of data is too close to kubectl apply's ${APPLY_ANNOTATION_LIMIT_BYTES}-byte annotation limit`]
      : [];
  });
}
