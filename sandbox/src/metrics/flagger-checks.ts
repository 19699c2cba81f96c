import { LINKERD_LATENCY_P99_QUERY, LINKERD_SUCCESS_RATE_QUERY } from '@greenlight/core';
import { evaluate } from './evaluate.ts';
import type { CounterSource } from './evaluate.ts';
import { parseQuery } from './promql.ts';

// The two metric checks of a Linkerd canary, computed from the very queries Flagger runs
// (its builtin `request-success-rate` / `request-duration`, which Greenlight also renders
// as MetricTemplates for the Gateway API provider), rendered as Flagger renders templates
// and evaluated by the same code that answers the sandbox's Prometheus API. The sandbox
// controller therefore sees the numbers Flagger would see over the same traffic.

export interface CheckResult {
  /** Percent of the canary's inbound responses that were not failures; null: no values. */
  successRate: number | null;
  /** p99 latency in ms of the canary's inbound responses; null: no values. */
  p99Ms: number | null;
}

export function flaggerChecks(
  source: CounterSource,
  vars: { namespace: string; target: string; interval: string },
  atMs: number,
): CheckResult {
  const value = (template: string): number | null => {
    const samples = evaluate(parseQuery(renderTemplate(template, vars)), source, atMs);
    // Flagger reads the first value and reports "no values found" when there is none; a
    // NaN (0/0 once traffic stopped) is no value either.
    const first = samples[0]?.value;
    return first !== undefined && Number.isFinite(first) ? first : null;
  };
  return {
    successRate: value(LINKERD_SUCCESS_RATE_QUERY),
    p99Ms: value(LINKERD_LATENCY_P99_QUERY),
  };
}

/** Flagger's `{{ namespace }}`, `{{ target }}`, `{{ interval }}` substitution. */
export function renderTemplate(
  template: string,
  vars: { namespace: string; target: string; interval: string },
): string {
  return template.replace(
    /\{\{\s*(namespace|target|interval)\s*\}\}/g,
    (_, name: keyof typeof vars) => vars[name],
  );
}
