/**
 * Rules every pod template must keep. Each returns one line per problem (empty: none), so a failing
 * test names the workload, the container and what is missing.
 */
import { allContainers, type Container, type PodTemplate } from './pods.js';

type Probe = NonNullable<Container['readinessProbe']>;

function probeKinds(probe: Probe | undefined): string[] {
  if (!probe) return [];
  return (['grpc', 'httpGet', 'tcpSocket', 'exec'] as const).filter((kind) => probe[kind] !== undefined);
}

/** Liveness and readiness probes on every main container; gRPC servers are probed with grpc.health.v1. */
export function probeProblems(pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const pod of pods) {
    for (const container of pod.spec.containers) {
      const where = `${pod.owner} container ${container.name}`;
      for (const [name, probe] of [['livenessProbe', container.livenessProbe], ['readinessProbe', container.readinessProbe]] as const) {
        if (probeKinds(probe).length !== 1) {
          problems.push(`${where}: ${name} must have exactly one handler (found ${probeKinds(probe).join(', ') || 'none'})`);
          continue;
        }
        const grpcPort = container.ports?.find((port) => port.name === 'grpc')?.containerPort;
        if (grpcPort !== undefined && probe?.grpc?.port !== grpcPort) {
          problems.push(`${where}: ${name} must be a grpc probe on the gRPC port ${grpcPort}`);
        }
      }
    }
  }
  return problems;
}

/** CPU and memory requests and limits on every container, init containers included. */
export function resourceProblems(pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const pod of pods) {
    for (const { where, container } of allContainers(pod)) {
      for (const side of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[side]?.[resource] === undefined) problems.push(`${where}: no ${side}.${resource}`);
        }
      }
    }
  }
  return problems;
}

/** Why an image reference is not pinned, or null when it names a tag other than latest (or a digest). */
export function unpinnedImageReason(image: string | undefined): string | null {
  if (!image) return 'no image';
  if (image.includes('@sha256:')) return null;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return `image ${image} has no tag (it would pull latest)`;
  if (lastSegment.slice(colon + 1) === 'latest') return `image ${image} uses the latest tag`;
  return null;
}

export function imageProblems(pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const pod of pods) {
    for (const { where, container } of allContainers(pod)) {
      const reason = unpinnedImageReason(container.image);
      if (reason) problems.push(`${where}: ${reason}`);
    }
  }
  return problems;
}

/**
 * The "restricted" Pod Security Standard (the namespace enforces it): non-root, no privilege
 * escalation, every capability dropped, the runtime's default seccomp profile.
 */
export function securityProblems(pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const pod of pods) {
    const podContext = pod.spec.securityContext;
    if (podContext?.runAsNonRoot !== true) problems.push(`${pod.owner}: securityContext.runAsNonRoot must be true`);
    if (podContext?.runAsUser === 0) problems.push(`${pod.owner}: securityContext.runAsUser is root`);
    for (const { where, container } of allContainers(pod)) {
      const context = container.securityContext;
      if (context?.allowPrivilegeEscalation !== false) problems.push(`${where}: securityContext.allowPrivilegeEscalation must be false`);
      if (context?.runAsUser === 0) problems.push(`${where}: runs as root`);
      if (!(context?.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: must drop ALL capabilities`);
      const seccomp = context?.seccompProfile?.type ?? podContext?.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where}: needs seccompProfile RuntimeDefault`);
    }
  }
  return problems;
}

/** A pod with a port named `metrics` carries the prometheus.io annotations that point at it. */
export function scrapeAnnotationProblems(pods: readonly PodTemplate[]): string[] {
  const problems: string[] = [];
  for (const pod of pods) {
    const metricsPorts = pod.spec.containers.flatMap((c) => c.ports ?? []).filter((p) => p.name === 'metrics');
    if (metricsPorts.length === 0) continue;
    if (pod.annotations['prometheus.io/scrape'] !== 'true') problems.push(`${pod.owner}: no prometheus.io/scrape: "true"`);
    const port = pod.annotations['prometheus.io/port'];
    if (!metricsPorts.some((p) => String(p.containerPort) === port)) {
      problems.push(`${pod.owner}: prometheus.io/port ${port} is not its metrics port ${metricsPorts[0].containerPort}`);
    }
  }
  return problems;
}
