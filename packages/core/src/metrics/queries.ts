import { UserError } from '../errors.ts';
import type { MetricsRef } from './source.ts';

// PromQL on Linkerd's proxy metrics — the contract with Linkerd's metric names
// (docs/design.md, "Flagger facts"): `response_total` and `response_latency_ms_bucket`, labels `namespace`,
// `deployment`, `direction="inbound"` (what the pod served, not what it called) and
// `classification` (`success`/`failure`). Blue is `deployment="<name>-primary"`, green
// `deployment="<name>"`.
//
// Every query groups `by (namespace, deployment)`, so one query answers for any number
// of chatbots and the caller splits the result; the three latency quantiles travel in one
// query, each tagged with a `quantile` label. A fleet page costs 2 queries, not 4 × N.

/** Above this many chatbots the deployment regex is dropped (all inbound traffic of the
 * namespaces is fetched and split): a shorter query beats a huge alternation. */
export const FLEET_REGEX_LIMIT = 100;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** The quantiles the latency query asks for, by the GoldenSignals field they fill. */
export const QUANTILES = { p50Ms: 0.5, p95Ms: 0.95, p99Ms: 0.99 } as const;

/** The label that tells the latency query's quantiles apart; its value is the quantile. */
export const QUANTILE_LABEL = 'quantile';

export interface GoldenQueries {
  /** Inbound responses per second by namespace, deployment and classification. */
  responses: string;
  /** p50, p95 and p99 in ms by namespace and deployment, labelled `quantile="0.5"` etc. */
  latency: string;
}

export function goldenQueries(refs: MetricsRef[], window: string): GoldenQueries {
  const range = checkWindow(window);
  const matchers = selector(refs);
  return {
    responses: `sum by (namespace, deployment, classification) (rate(response_total{${matchers}}[${range}]))`,
    latency: Object.values(QUANTILES)
      .map((quantile) => latencyQuery(quantile, matchers, range))
      .join(' or '),
  };
}

/** The Deployment names of one chatbot: blue (primary) and green (candidate). */
export function deploymentsOf(ref: MetricsRef): { blue: string; green: string } {
  return { blue: `${ref.name}-primary`, green: ref.name };
}

/** Checks a Prometheus duration such as `5m` or `1h30m`; returns it. */
export function checkWindow(window: string): string {
  if (!DURATION.test(window)) {
    throw new UserError(`"${window}" is not a Prometheus duration`, {
      field: 'window',
      hint: 'Use a number and a unit, such as 1m, 5m or 1h',
    });
  }
  return window;
}

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** A Prometheus duration in seconds (`1h30m` → 5400). */
export function durationSeconds(window: string): number {
  checkWindow(window);
  let seconds = 0;
  for (const [, amount, unit] of window.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return seconds;
}

/** The rate window of a range query: one step, but at least 1m so rate() sees several scrapes. */
export function rangeRateWindow(stepSeconds: number): string {
  return `${Math.max(60, Math.ceil(stepSeconds))}s`;
}

// label_replace with an empty source label and regex only adds the label: the three
// results then differ in their labels, so `or` keeps all three (it drops a right-hand
// element whose labels match one on its left).
function latencyQuery(quantile: number, matchers: string, range: string): string {
  const histogram = `histogram_quantile(${quantile}, sum by (namespace, deployment, le) (rate(response_latency_ms_bucket{${matchers}}[${range}])))`;
  return `label_replace(${histogram}, "${QUANTILE_LABEL}", "${quantile}", "", "")`;
}

function selector(refs: MetricsRef[]): string {
  if (refs.length === 0) throw new UserError('no chatbot to query metrics for', { field: 'refs' });
  for (const ref of refs) checkRef(ref);
  const namespaces = unique(refs.map((ref) => ref.namespace));
  const matchers = ['direction="inbound"', match('namespace', namespaces)];
  if (refs.length <= FLEET_REGEX_LIMIT) {
    const deployments = unique(refs.flatMap((ref) => Object.values(deploymentsOf(ref))));
    matchers.push(match('deployment', deployments));
  }
  return matchers.join(', ');
}

// Names go into PromQL verbatim, so only DNS-1123 labels pass: they hold no quote, no
// backslash and no regex metacharacter but "-", which is literal outside a bracket.
function checkRef(ref: MetricsRef): void {
  for (const field of ['namespace', 'name'] as const) {
    if (!LABEL.test(ref[field] ?? '') || ref[field].length > 63) {
      throw new UserError(`"${ref[field]}" is not a DNS-1123 label`, {
        field,
        hint: 'Canary namespaces and names are lower-case letters, digits and "-", at most 63 characters',
      });
    }
  }
}

function match(label: string, values: string[]): string {
  return values.length === 1 ? `${label}="${values[0]}"` : `${label}=~"${values.join('|')}"`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
