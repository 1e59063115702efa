/**
 * Static checks of grafana/: the dashboards parse, every query panel has a Prometheus data source and
 * unique ids, and every metric and label their PromQL names is one the services' source really defines.
 * Renaming a metric (or dropping a label) in a service breaks this test until the dashboards follow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, allPanels, loadDashboards, panelQueries, queryPanels, variableQueries, type GridPos } from './dashboards/dashboardFiles.js';
import { analyseExpression, familyCandidates, legendLabels } from './dashboards/promql.js';
import { exportedMetrics, type MetricDefinition } from './dashboards/metricSources.js';

const dashboards = loadDashboards();
const metrics = exportedMetrics();
const queries = panelQueries(dashboards);

function definitionOf(metric: string): MetricDefinition | undefined {
  for (const name of familyCandidates(metric)) {
    const def = metrics.get(name);
    if (def) return def;
  }
  return undefined;
}

/** Added by Prometheus to every target's series. */
const TARGET_LABELS = ['job', 'instance'];

/** Labels a series of `metric` carries once Prometheus has scraped it. */
function carriedLabels(metric: string, def: MetricDefinition): Set<string> {
  const labels = new Set([...TARGET_LABELS, ...def.registryLabels, ...(def.labelNames ?? [])]);
  if (metric.endsWith('_bucket')) labels.add('le');
  return labels;
}

/** Problems with one expression's metrics and labels, as readable lines. */
function labelProblems(where: string, expr: string, legendFormat: string): string[] {
  const problems: string[] = [];
  const { selectors, groupingLabels } = analyseExpression(expr);
  if (selectors.length === 0) problems.push(`${where}: selects no metric: ${expr}`);
  for (const { metric, matcherLabels } of selectors) {
    const def = definitionOf(metric);
    if (!def) {
      problems.push(`${where}: ${metric} is not defined in services/*/src, packages/*/src or prom-client's defaults`);
      continue;
    }
    if (def.labelNames === null) {
      problems.push(`${where}: cannot read the labelNames of ${def.name} in ${def.file}`);
      continue;
    }
    const carried = carriedLabels(metric, def);
    for (const label of [...matcherLabels, ...groupingLabels, ...legendLabels(legendFormat)]) {
      if (!carried.has(label)) problems.push(`${where}: ${metric} (${def.file}) has no label "${label}"; it carries ${[...carried].join(', ')}`);
    }
  }
  return problems;
}

describe('the PromQL scan the checks rely on', () => {
  it('finds selectors with their matchers, and grouping labels, but no functions, keywords or durations', () => {
    const use = analyseExpression(
      'histogram_quantile(0.99, sum by (le, method) (rate(a_seconds_bucket{code!="OK", x=~"y|z"}[5m]))) / on (method) group_left max without (pod) (b_total offset 1m) > bool 2e3',
    );
    expect(use.selectors).toEqual([
      { metric: 'a_seconds_bucket', matcherLabels: ['code', 'x'] },
      { metric: 'b_total', matcherLabels: [] },
    ]);
    expect(use.groupingLabels).toEqual(['le', 'method', 'pod']);
    expect(familyCandidates('a_seconds_bucket')).toEqual(['a_seconds_bucket', 'a_seconds']);
    expect(legendLabels('p99 {{method}} {{ code }}')).toEqual(['method', 'code']);
  });
});

describe('grafana dashboards (static)', () => {
  it('finds the overview and serving dashboards, each a schemaVersion 39+ dashboard with a uid', () => {
    expect(dashboards.map((d) => d.file)).toEqual(['reverie-overview.json', 'reverie-serving.json']);
    for (const { file, dashboard } of dashboards) {
      expect(dashboard.uid, file).toMatch(/^reverie-/);
      expect(dashboard.schemaVersion, file).toBeGreaterThanOrEqual(39);
      expect(queryPanels(dashboard).length, file).toBeGreaterThan(5);
    }
  });

  it('gives every panel a unique id, and every query panel and target the Prometheus data source', () => {
    const problems: string[] = [];
    for (const { file, dashboard } of dashboards) {
      const ids = allPanels(dashboard).map((p) => p.id);
      const dupes = ids.filter((id, i) => id === undefined || ids.indexOf(id) !== i);
      if (dupes.length > 0) problems.push(`${file}: missing or repeated panel ids ${JSON.stringify(dupes)}`);
      for (const panel of queryPanels(dashboard)) {
        const sources = [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)];
        if ((panel.targets ?? []).length === 0) problems.push(`${file} › ${panel.title}: no queries`);
        for (const ds of sources) {
          if (!isPrometheusDatasource(ds)) problems.push(`${file} › ${panel.title}: data source ${JSON.stringify(ds)} is not Prometheus by uid`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const problems: string[] = [];
    for (const { file, dashboard } of dashboards) {
      const placed = allPanels(dashboard).map((p) => ({ title: p.title ?? `panel ${p.id}`, pos: p.gridPos }));
      for (const [i, a] of placed.entries()) {
        if (!a.pos || a.pos.x < 0 || a.pos.w < 1 || a.pos.h < 1 || a.pos.x + a.pos.w > 24) {
          problems.push(`${file} › ${a.title}: gridPos ${JSON.stringify(a.pos)} is off the 24-column grid`);
          continue;
        }
        const clash = placed.slice(i + 1).find((b) => b.pos && overlaps(a.pos!, b.pos));
        if (clash) problems.push(`${file} › ${a.title} overlaps ${clash.title}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names only metrics the services define, with labels they carry', () => {
    expect(queries.length).toBeGreaterThan(20);
    const problems = queries.flatMap((q) => labelProblems(q.where, q.expr, q.legendFormat));
    const variableProblems = variableQueries(dashboards).flatMap((v) => labelProblems(v.where, `${v.metric}{${v.label}=~".+"}`, ''));
    expect([...problems, ...variableProblems]).toEqual([]);
  });

  it('provisions the data source by the uid the dashboards use, and the dashboards folder', () => {
    const ds = parse(readFileSync(join(REPO_ROOT, 'grafana/provisioning/datasources/prometheus.yaml'), 'utf8')) as {
      datasources?: { uid?: string; type?: string }[];
    };
    expect(ds.datasources?.map((d) => [d.type, d.uid])).toContainEqual(['prometheus', 'prometheus']);
    const providers = parse(readFileSync(join(REPO_ROOT, 'grafana/provisioning/dashboards/reverie.yaml'), 'utf8')) as {
      providers?: { type?: string; options?: { path?: string } }[];
    };
    expect(providers.providers?.[0]?.type).toBe('file');
    expect(providers.providers?.[0]?.options?.path).toMatch(/^\//);
    for (const { file, dashboard } of dashboards) {
      const dsVar = dashboard.templating?.list?.find((v) => v.name === 'DS_PROMETHEUS');
      expect(dsVar?.type, file).toBe('datasource');
    }
  });
});

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function isPrometheusDatasource(ds: unknown): boolean {
  if (!ds || typeof ds !== 'object') return false;
  const { type, uid } = ds as { type?: unknown; uid?: unknown };
  return type === 'prometheus' && (uid === '${DS_PROMETHEUS}' || uid === 'prometheus');
}
