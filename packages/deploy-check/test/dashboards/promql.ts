/**
 * Just enough PromQL lexing to say which metrics an expression selects and which labels it relies on:
 * label matchers (per selector) and the label lists of by/without/on/ignoring/group_left/group_right.
 * Syntax itself is checked by Prometheus in the live test.
 */

export interface Selector {
  metric: string;
  /** Labels named in this selector's `{...}` matchers. */
  matcherLabels: string[];
}

export interface ExpressionUse {
  selectors: Selector[];
  /** Labels named in grouping and vector-matching clauses. */
  groupingLabels: string[];
}

/** Aggregations, keywords and literals that look like identifiers but are no metric. */
const NOT_METRICS = new Set([
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan',
]);

const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

function splitLabels(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function matcherLabels(body: string): string[] {
  return [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
}

/** The metrics an expression selects and the labels it needs. Throws on a selector without a metric name. */
export function analyseExpression(expr: string): ExpressionUse {
  const groupingLabels: string[] = [];
  // Strings hold label values and regexes, never metric names; ranges like [5m] hold durations.
  let text = expr.replace(STRING, '""').replace(/\[[^\]]*\]/g, ' ');
  text = text.replace(GROUPING, (_all: string, list: string) => {
    groupingLabels.push(...splitLabels(list));
    return ' ';
  });
  const selectors: Selector[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '{') throw new Error(`selector without a metric name at ${i} in ${expr}`);
    if (/[0-9]/.test(ch)) {
      // a number literal (or duration) is no identifier, even where letters follow (1e3, 5m)
      while (i < text.length && /[0-9a-zA-Z_.]/.test(text[i]!)) i++;
      continue;
    }
    IDENT.lastIndex = i;
    const m = IDENT.exec(text);
    if (!m) {
      i++;
      continue;
    }
    const name = m[0];
    i += name.length;
    const rest = text.slice(i);
    if (/^\s*\(/.test(rest) || NOT_METRICS.has(name)) continue; // a function call or keyword
    const braces = /^\s*\{([^}]*)\}/.exec(rest);
    selectors.push({ metric: name, matcherLabels: braces ? matcherLabels(braces[1]!) : [] });
    if (braces) i += braces[0].length;
  }
  return { selectors, groupingLabels: [...new Set(groupingLabels)] };
}

/** The metric family a sample name belongs to: histogram and summary series end in _bucket, _sum or _count. */
export function familyCandidates(metric: string): string[] {
  const m = /^(.*)_(bucket|sum|count)$/.exec(metric);
  return m ? [metric, m[1]!] : [metric];
}

/** The `{{label}}` names a legend format shows. */
export function legendLabels(legendFormat: string): string[] {
  return [...legendFormat.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
}
