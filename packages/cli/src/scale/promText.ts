/**
 * A reader for the Prometheus text exposition format (what every service's /metrics answers): the
 * samples only (comments, HELP and TYPE lines are skipped), enough to sum counters and histogram
 * buckets across label sets. No npm package for this is among the dependencies.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A line of exposition text that is not a sample; names the line. */
export class PromTextError extends Error {
  override name = 'PromTextError';
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

function parseValue(text: string, line: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return Number.NaN;
  }
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new PromTextError(`metric value ${JSON.stringify(text)} is not a number in line: ${line}`);
  return v;
}

/** Parses `{a="x",b="y\"z"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  const fail = (why: string): never => {
    throw new PromTextError(`${why} at column ${i + 1} in line: ${line}`);
  };
  while (true) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const name = NAME_RE.exec(line.slice(i))?.[0] ?? fail('expected a label name');
    i += name.length;
    if (line[i] !== '=' || line[i + 1] !== '"') fail(`expected ="value" after label ${name}`);
    i += 2;
    let value = '';
    while (line[i] !== '"') {
      if (i >= line.length) fail(`unterminated value of label ${name}`);
      if (line[i] === '\\') {
        value += ESCAPES[line[i + 1]] ?? `\\${line[i + 1]}`;
        i += 2;
      } else value += line[i++];
    }
    labels[name] = value;
    i++;
  }
}

/** Parses one sample line, e.g. `reverie_x_total{service="actor"} 12 1700000000000`. */
export function parseSampleLine(line: string): Sample {
  const name = NAME_RE.exec(line)?.[0];
  if (name === undefined) throw new PromTextError(`no metric name at the start of line: ${line}`);
  let i = name.length;
  let labels: Record<string, string> = {};
  if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i));
  const rest = line.slice(i).trim().split(/\s+/);
  return { name, labels, value: parseValue(rest[0] ?? '', line) };
}

/** Every sample of an exposition text, in order. */
export function parsePromText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    samples.push(parseSampleLine(line));
  }
  return samples;
}
