/**
 * The metrics the services really export, read from their source: every `name: 'reverie_…'` metric
 * definition in services/<name>/src and packages/<name>/src with its labelNames, plus prom-client's default
 * process and Node.js metrics (every service registry collects them; @reverie/telemetry turns them on).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { REPO_ROOT } from './dashboardFiles.js';

export interface MetricDefinition {
  name: string;
  /** Labels declared with labelNames; null when the source names them in a way this scan cannot read. */
  labelNames: string[] | null;
  /** Labels the registry adds to every metric of this package: `service` and its createMetricsRegistry defaultLabels. */
  registryLabels: string[];
  /** "services/learner/src/metrics.ts" or "prom-client". */
  file: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** services/<x>/src and packages/<x>/src of the repository. */
function sourceDirs(root: string): string[] {
  return ['services', 'packages'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, group, entry.name, 'src'))
      .filter((src) => statSync(src, { throwIfNoEntry: false })?.isDirectory() ?? false),
  );
}

/** The keys of every `defaultLabels: { … }` literal passed to createMetricsRegistry in these files. */
function defaultLabelKeys(files: string[]): string[] {
  const keys = files.flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/createMetricsRegistry\(\{[^)]*?defaultLabels:\s*\{([^}]*)\}/g)].flatMap((m) =>
      [...m[1]!.matchAll(/(?:^|,)\s*['"]?([a-zA-Z_][a-zA-Z0-9_]*)['"]?\s*(?=[:,]|$)/g)].map((k) => k[1]!),
    ),
  );
  return [...new Set(keys)];
}

const DEFINITION = /\bname:\s*['"`](reverie_[a-zA-Z0-9_:]*)['"`]/g;

/** The `{ … }` object literal around a position (nesting counted, so `buckets: [...]` and `registers` stay inside). */
function enclosingObject(text: string, at: number): string {
  let depth = 0;
  let start = at;
  for (; start >= 0; start--) {
    if (text[start] === '}') depth++;
    else if (text[start] === '{') {
      if (depth === 0) break;
      depth--;
    }
  }
  depth = 0;
  let end = at;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    else if (text[end] === '}') {
      if (depth === 0) break;
      depth--;
    }
  }
  return text.slice(Math.max(start, 0), end + 1);
}

function declaredLabels(objectText: string): string[] | null {
  if (!/\blabelNames\b/.test(objectText)) return [];
  const m = /\blabelNames:\s*\[([^\]]*)\]/.exec(objectText);
  if (!m) return null;
  return [...m[1]!.matchAll(/['"`]([a-zA-Z_][a-zA-Z0-9_]*)['"`]/g)].map((x) => x[1]!);
}

export function reverieMetricDefinitions(root = REPO_ROOT): MetricDefinition[] {
  return sourceDirs(root).flatMap((dir) => {
    const files = sourceFiles(dir);
    const registryLabels = ['service', ...defaultLabelKeys(files)];
    return files.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      return [...text.matchAll(DEFINITION)].map((m) => ({
        name: m[1]!,
        labelNames: declaredLabels(enclosingObject(text, m.index)),
        registryLabels,
        file: relative(root, path),
      }));
    });
  });
}

/**
 * prom-client's default metric names, read from its lib/metrics sources (as resolved from @reverie/telemetry);
 * every service collects them, so they carry the default labels of any service's registry.
 */
export function defaultMetricDefinitions(root = REPO_ROOT): MetricDefinition[] {
  const registryLabels = ['service', ...defaultLabelKeys(sourceDirs(root).flatMap((dir) => sourceFiles(dir)))];
  const requireFromTelemetry = createRequire(join(root, 'packages', 'telemetry', 'package.json'));
  const metricsDir = join(dirname(requireFromTelemetry.resolve('prom-client')), 'lib', 'metrics');
  return sourceFiles(metricsDir).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/['"`]((?:process|nodejs)_[a-z0-9_]+)['"`]/g)].map((m) => ({
      name: m[1]!,
      labelNames: [],
      registryLabels,
      file: 'prom-client',
    })),
  );
}

/** Every exported metric by name; one defined in several places (e.g. reverie_grpc_errors_total) carries the union of their labels. */
export function exportedMetrics(root = REPO_ROOT): Map<string, MetricDefinition> {
  const byName = new Map<string, MetricDefinition>();
  for (const def of [...defaultMetricDefinitions(root), ...reverieMetricDefinitions(root)]) {
    const seen = byName.get(def.name);
    if (!seen) {
      byName.set(def.name, { ...def });
      continue;
    }
    seen.labelNames = seen.labelNames && def.labelNames ? [...new Set([...seen.labelNames, ...def.labelNames])] : null;
    seen.registryLabels = [...new Set([...seen.registryLabels, ...def.registryLabels])];
    seen.file = `${seen.file}, ${def.file}`;
  }
  return byName;
}
