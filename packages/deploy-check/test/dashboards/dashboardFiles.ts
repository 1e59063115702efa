/**
 * Reads the Grafana dashboards in grafana/dashboards and lists every PromQL expression they run:
 * panel targets (rows' nested panels included) and the `label_values(...)` queries of template variables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const DASHBOARD_DIR = join(REPO_ROOT, 'grafana', 'dashboards');

export interface DashboardTarget { refId?: string; expr?: string; legendFormat?: string; datasource?: unknown }
export interface GridPos { x: number; y: number; w: number; h: number }
export interface DashboardPanel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: GridPos;
  datasource?: unknown;
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}
export interface TemplateVariable { name?: string; type?: string; query?: unknown; includeAll?: boolean; allValue?: string }
export interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: DashboardPanel[];
  templating?: { list?: TemplateVariable[] };
}

export interface LoadedDashboard { file: string; dashboard: Dashboard }

/** Where a query comes from, for messages: "reverie-overview.json › Act latency › B". */
export interface PanelQuery {
  where: string;
  expr: string;
  legendFormat: string;
}

/** A `label_values(metric, label)` template-variable query. */
export interface VariableQuery { where: string; metric: string; label: string }

export function loadDashboards(dir = DASHBOARD_DIR): LoadedDashboard[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, dashboard: JSON.parse(text) as Dashboard };
      } catch (e) {
        throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
      }
    });
}

/** Every panel, with the panels nested in (collapsed) rows. */
export function allPanels(dashboard: Dashboard): DashboardPanel[] {
  return (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Panels that run queries (rows only group them). */
export function queryPanels(dashboard: Dashboard): DashboardPanel[] {
  return allPanels(dashboard).filter((p) => p.type !== 'row');
}

export function panelQueries(loaded: LoadedDashboard[]): PanelQuery[] {
  return loaded.flatMap(({ file, dashboard }) =>
    queryPanels(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((t) => ({
        where: `${file} › ${panel.title ?? `panel ${panel.id}`} › ${t.refId ?? '?'}`,
        expr: t.expr ?? '',
        legendFormat: t.legendFormat ?? '',
      })),
    ),
  );
}

const LABEL_VALUES = /^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/;

function variableQueryText(v: TemplateVariable): string {
  if (typeof v.query === 'string') return v.query;
  if (v.query && typeof v.query === 'object' && 'query' in v.query && typeof v.query.query === 'string') return v.query.query;
  return '';
}

/** The query variables' `label_values(metric, label)`; any other form is an error (the tests could not check it). */
export function variableQueries(loaded: LoadedDashboard[]): VariableQuery[] {
  return loaded.flatMap(({ file, dashboard }) =>
    (dashboard.templating?.list ?? [])
      .filter((v) => v.type === 'query')
      .map((v) => {
        const text = variableQueryText(v);
        const m = LABEL_VALUES.exec(text);
        if (!m) throw new Error(`${file} › variable $${v.name}: expected label_values(metric, label), got ${JSON.stringify(text)}`);
        return { where: `${file} › variable $${v.name}`, metric: m[1]!, label: m[2]! };
      }),
  );
}

/**
 * The expression as Prometheus gets it when every multi-value variable is set to "All"
 * (its allValue) and Grafana's interval variables have the values a 1 s scrape gives.
 */
export function substituteVariables(expr: string, dashboards: LoadedDashboard[], rateInterval = '5s'): string {
  const values = new Map<string, string>([
    ['__rate_interval', rateInterval],
    ['__interval', '1s'],
    ['__range', '1m'],
  ]);
  for (const { dashboard } of dashboards) {
    for (const v of dashboard.templating?.list ?? []) {
      if (v.name && v.type === 'query') values.set(v.name, v.allValue ?? '.*');
    }
  }
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole: string, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = values.get(name);
    if (value === undefined) throw new Error(`unknown dashboard variable ${whole} in ${expr}`);
    return value;
  });
}
