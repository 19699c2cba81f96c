import { durationSeconds } from '@greenlight/core';

// NOT A PROMQL ENGINE. The sandbox's Prometheus stand-in recognises exactly the query
// shapes Greenlight and Flagger send over Linkerd's metrics, and refuses anything else
// with a Prometheus-style error that names the query:
//
//   sum by (<labels>) (rate(<metric>{<matchers>}[<window>]))         core's golden RPS/success
//   label_replace(histogram_quantile(<q>, sum by (<labels>, le) (rate(<bucket>{…}[<window>]))),
//       "quantile", "<q>", "", "") or …                      core's p50/p95/p99 in one query
//   sum(rate(response_total{…}[w])) / sum(rate(response_total{…}[w])) * 100   Flagger's
//       linkerd `request-success-rate` and Greenlight's success-rate MetricTemplate
//   histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{…}[w])) by (le))  Flagger's
//       linkerd `request-duration` and Greenlight's latency MetricTemplate
//   vector(1)                                                          Flagger's "is Prometheus up"
//
// `sum by (…) (x)` and `sum (x) by (…)` are both accepted, whitespace is free, and label
// matchers (=, !=, =~, !~) are evaluated for real. Where the sandbox answers a query, it
// answers it as Prometheus would — except that rate() is the plain increase over the
// window divided by its length (no extrapolation to the window's edges).

export type Metric = 'response_total' | 'response_latency_ms_bucket';

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** `sum by (by) (rate(metric{matchers}[windowSeconds]))`. */
export interface SumOfRates {
  metric: Metric;
  matchers: Matcher[];
  windowSeconds: number;
  by: string[];
}

export type Query =
  | { kind: 'sum'; term: SumOfRates }
  | { kind: 'ratio'; numerator: SumOfRates; denominator: SumOfRates; factor: number }
  | { kind: 'quantile'; quantile: number; term: SumOfRates }
  /** Quantiles joined with `or`, each tagged by label_replace with a label of its own. */
  | { kind: 'union'; parts: { label: string; value: string; query: Query }[] }
  | { kind: 'vector'; value: number };

/** A query the stand-in refuses; `errorType` as Prometheus' HTTP API names it. */
export class QueryError extends Error {
  readonly errorType = 'bad_data';
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const GROUP = String.raw`by\(([a-zA-Z_][a-zA-Z0-9_]*(?:,[a-zA-Z_][a-zA-Z0-9_]*)*,?)?\)`;
const TERM =
  String.raw`sum(?:${GROUP})?\(rate\((response_total|response_latency_ms_bucket)` +
  String.raw`\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\}\[([0-9a-z]+)\]\)\)(?:${GROUP})?`;
const SHAPES = {
  sum: new RegExp(`^${TERM}$`),
  ratio: new RegExp(String.raw`^${TERM}/${TERM}\*${NUMBER}$`),
  quantile: new RegExp(String.raw`^histogram_quantile\(${NUMBER},${TERM}\)$`),
  vector: new RegExp(String.raw`^vector\(${NUMBER}\)$`),
  tagged: /^label_replace\((.+),"([a-zA-Z_][a-zA-Z0-9_]*)","([^"\\]*)","",""\)$/,
};
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"(?:,|$)/y;

export function parseQuery(query: string): Query {
  const text = withoutSpaces(query);
  let m: RegExpExecArray | null;
  if ((m = SHAPES.vector.exec(text))) return { kind: 'vector', value: Number(m[1]) };
  if ((m = SHAPES.sum.exec(text))) return { kind: 'sum', term: term(m.slice(1), query) };
  if ((m = SHAPES.ratio.exec(text))) {
    return {
      kind: 'ratio',
      numerator: term(m.slice(1, 6), query),
      denominator: term(m.slice(6, 11), query),
      factor: Number(m[11]),
    };
  }
  if (text.startsWith('label_replace(')) {
    const parts = text.split(/(?<=\))or(?=label_replace\()/).map((part) => {
      const tagged = SHAPES.tagged.exec(part);
      if (!tagged) throw unrecognised(query, 'label_replace only tags a histogram_quantile');
      const inner = parseQuery(tagged[1] as string);
      if (inner.kind !== 'quantile')
        throw unrecognised(query, 'label_replace only tags a histogram_quantile');
      return { label: tagged[2] as string, value: tagged[3] as string, query: inner };
    });
    return { kind: 'union', parts };
  }
  if ((m = SHAPES.quantile.exec(text))) {
    const quantile = Number(m[1]);
    const histogram = term(m.slice(2), query);
    if (histogram.metric !== 'response_latency_ms_bucket' || !histogram.by.includes('le')) {
      throw unrecognised(query, 'histogram_quantile needs response_latency_ms_bucket summed by le');
    }
    return { kind: 'quantile', quantile, term: histogram };
  }
  throw unrecognised(query);
}

/** Whether a matcher accepts a label value (a missing label reads ""); regexes are anchored. */
export function matches(matcher: Matcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(value);
    case '!~':
      return !anchored(matcher.value).test(value);
  }
}

function term(groups: (string | undefined)[], query: string): SumOfRates {
  const [prefixBy, metric, selector = '', window = '', suffixBy] = groups;
  if (prefixBy !== undefined && suffixBy !== undefined)
    throw unrecognised(query, 'two "by" clauses');
  let windowSeconds: number;
  try {
    windowSeconds = durationSeconds(window);
  } catch {
    throw new QueryError(`invalid range "${window}" in query: ${oneLine(query)}`);
  }
  if (windowSeconds <= 0)
    throw new QueryError(`range must be positive in query: ${oneLine(query)}`);
  const by = (prefixBy ?? suffixBy ?? '').split(',').filter(Boolean);
  return { metric: metric as Metric, matchers: matchers(selector, query), windowSeconds, by };
}

function matchers(selector: string, query: string): Matcher[] {
  const found: Matcher[] = [];
  MATCHER.lastIndex = 0;
  while (MATCHER.lastIndex < selector.length) {
    const m = MATCHER.exec(selector);
    if (!m) throw unrecognised(query, `cannot read the label matchers {${selector}}`);
    const [, label = '', op = '=', raw = ''] = m;
    const value = raw.replace(/\\(.)/g, '$1');
    if (op === '=~' || op === '!~') anchored(value, query);
    found.push({ label, op: op as Matcher['op'], value });
  }
  return found;
}

function anchored(pattern: string, query?: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new QueryError(
      `invalid regular expression "${pattern}" in query: ${oneLine(query ?? '')}`,
    );
  }
}

function unrecognised(query: string, detail?: string): QueryError {
  return new QueryError(
    `the Greenlight sandbox answers only the PromQL that Greenlight and Flagger send over ` +
      `Linkerd metrics (it is not a PromQL engine)${detail ? `; ${detail}` : ''}; ` +
      `unrecognised query: ${oneLine(query)}`,
  );
}

// Removes whitespace outside double-quoted strings, so any layout of a query matches.
function withoutSpaces(query: string): string {
  return query.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (part) => (part.startsWith('"') ? part : ''));
}

function oneLine(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}
