/**
 * What a cluster sweep shares across its points: the checks before the first, the way to Prometheus
 * (a given URL, or a `kubectl port-forward` started once Prometheus runs), and closing it at the end.
 */
import type { LogSink } from '../stack/child.js';
import { ManagedChild } from '../stack/child.js';
import { clusterPreflight, runClusterPoint, type ClusterDeps, type ClusterSettings, type CommandRunner } from './cluster.js';
import type { WindowIncrease } from './metrics.js';
import type { PointResult, ScalePoint } from './point.js';
import { PrometheusWindow } from './prometheus.js';

/** A way to reach Prometheus; `stop` ends it (a port-forward), or does nothing (a given URL). */
export interface PrometheusAccess {
  url: string;
  stop(): Promise<void>;
}

const FORWARDING = /Forwarding from 127\.0\.0\.1:(\d+) ->/;

/** `kubectl port-forward svc/prometheus` on a free local port; ready once kubectl says where it listens. */
export async function forwardPrometheus(s: Pick<ClusterSettings, 'kubectl' | 'namespace'>, log: LogSink, timeoutMs = 30_000): Promise<PrometheusAccess> {
  const child = new ManagedChild(
    {
      name: 'port-forward',
      command: s.kubectl,
      args: ['-n', s.namespace, 'port-forward', 'svc/prometheus', ':9090', '--address', '127.0.0.1'],
      readyTimeoutMs: timeoutMs,
      readyWhen: (line) => {
        const m = FORWARDING.exec(line);
        return m === null ? null : { service: 'prometheus', url: `http://127.0.0.1:${m[1]}` };
      },
    },
    log,
  );
  const lastResort = (): void => child.killNow();
  process.once('exit', lastResort);
  const stop = async (): Promise<void> => {
    await child.stop(5000);
    process.off('exit', lastResort);
  };
  try {
    const info = await child.ready;
    return { url: String(info.url), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface ClusterSessionOptions {
  run: CommandRunner;
  /** Prometheus's base URL; null: port-forward to svc/prometheus once it runs. */
  prometheusUrl: string | null;
  /** How Prometheus is reached when no URL is given (injectable for tests). */
  forward?: () => Promise<PrometheusAccess>;
  /** Reads a window from the Prometheus at `url` (injectable for tests). */
  readWindow?: (url: string, endSeconds: number, seconds: number) => Promise<WindowIncrease>;
}

export interface ClusterSession {
  runPoint(point: ScalePoint, signal: AbortSignal): Promise<PointResult>;
  /** Stops the port-forward, if one was started. */
  close(): Promise<void>;
}

function readFromPrometheus(namespace: string) {
  return (url: string, endSeconds: number, seconds: number): Promise<WindowIncrease> =>
    new PrometheusWindow(url, endSeconds, seconds, { namespace }).read();
}

/** Runs the checks, then hands out points that share the way to Prometheus. */
export async function openClusterSession(s: ClusterSettings, o: ClusterSessionOptions, log: LogSink): Promise<ClusterSession> {
  await clusterPreflight(s, o.run);
  let access: PrometheusAccess | null = o.prometheusUrl === null ? null : { url: o.prometheusUrl, stop: async () => undefined };
  const forward = o.forward ?? (() => forwardPrometheus(s, log));
  const read = o.readWindow ?? readFromPrometheus(s.namespace);
  const deps: ClusterDeps = {
    run: o.run,
    // Prometheus is part of the first point's manifests, so the port-forward can only start once it ran.
    readWindow: async (endSeconds, seconds) => {
      access ??= await forward();
      return read(access.url, endSeconds, seconds);
    },
  };
  return {
    runPoint: (point, signal) => runClusterPoint(point, s, deps, signal),
    close: async () => {
      await access?.stop();
    },
  };
}
