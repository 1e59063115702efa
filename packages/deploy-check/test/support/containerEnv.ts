/**
 * What a service process sees inside its container: the image's ENV, then the pod's envFrom
 * ConfigMaps and env entries (later wins, as in Kubernetes), and the config file its args name.
 * Secret values are unknown here, so each reads as `<secret name/key>`; that still shows which
 * config field every secret lands in.
 */
import { ConfigMap } from 'kubernetes-models/v1';
import type { Container, PodTemplate } from './pods.js';

export type Env = Record<string, string>;

function configMapData(objects: readonly unknown[], name: string): Record<string, string> {
  const found = objects.filter(ConfigMap.is).find((cm) => cm.metadata?.name === name);
  if (!found) throw new Error(`ConfigMap ${name} is not rendered`);
  return found.data ?? {};
}

/** The environment of `container`, on top of `imageEnv` (the Dockerfile's ENV). */
export function containerEnv(objects: readonly unknown[], container: Container, imageEnv: Env = {}): Env {
  const env: Env = { ...imageEnv };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef?.name) Object.assign(env, configMapData(objects, source.configMapRef.name));
    if (source.secretRef?.name) throw new Error(`${container.name}: envFrom a whole Secret hides which fields it sets`);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (from?.secretKeyRef) env[variable.name] = `<secret ${from.secretKeyRef.name}/${from.secretKeyRef.key}>`;
    else if (from?.configMapKeyRef) env[variable.name] = configMapData(objects, from.configMapKeyRef.name ?? '')[from.configMapKeyRef.key];
    else if (from?.fieldRef) env[variable.name] = `<field ${from.fieldRef.fieldPath}>`;
  }
  return env;
}

/** The value after `--<flag>` in the container's args, or undefined. */
export function argValue(container: Container, flag: string): string | undefined {
  const args = container.args ?? [];
  const at = args.indexOf(`--${flag}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The contents of the ConfigMap file mounted at `path` in `container`. */
export function mountedFile(objects: readonly unknown[], pod: PodTemplate, container: Container, path: string): string {
  const mount = (container.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${pod.owner}: nothing is mounted at ${path}`);
  const volume = (pod.spec.volumes ?? []).find((v) => v.name === mount.name);
  const configMap = volume?.configMap?.name;
  if (!configMap) throw new Error(`${pod.owner}: ${path} is not on a ConfigMap volume`);
  const key = path.slice(mount.mountPath.length + 1);
  const text = configMapData(objects, configMap)[key];
  if (text === undefined) throw new Error(`${pod.owner}: ConfigMap ${configMap} has no key ${key} for ${path}`);
  return text;
}

/** Where a volume is mounted in `container`. */
export function mountPathOf(container: Container, volume: string): string | undefined {
  return (container.volumeMounts ?? []).find((m) => m.name === volume)?.mountPath;
}
