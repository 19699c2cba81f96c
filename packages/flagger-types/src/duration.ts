import { z } from 'zod';

/**
 * The pattern the Canary CRD puts on `analysis.interval`, `metrics[].interval` and
 * `webhooks[].timeout`. It is anchored only at the start, so `1m30s` and `500ms` pass and
 * `1h`, `90` and `1.5m` do not.
 */
export const CRD_DURATION_PATTERN = /^[0-9]+(m|s)/;

const GO_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a Go duration string (`time.ParseDuration` syntax: `30s`, `1m30s`,
 * `500ms`), or undefined when Go would refuse it. Flagger parses these fields with
 * `time.ParseDuration` and quietly falls back to a default on error, so a value that passes
 * the CRD pattern but not Go (`30sec`) must be caught here.
 */
export function parseGoDuration(text: string): number | undefined {
  let rest = text.replace(/^[+-]/, '');
  const negative = text.startsWith('-');
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const part = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part || part[1] === '' || part[1] === '.') return undefined;
    total += Number(part[1]) * (GO_UNITS_MS[part[2] as string] as number);
    rest = rest.slice(part[0].length);
  }
  return negative ? -total : total;
}

/** A duration field of the Canary CRD: its pattern, then Go's parser. */
export const DurationSchema = z
  .string()
  .regex(CRD_DURATION_PATTERN, {
    error: 'must be a duration starting with a number of minutes or seconds, like 30s, 1m or 1m30s',
  })
  .refine((text) => parseGoDuration(text) !== undefined, {
    error:
      'must be a Go duration like 30s, 1m or 1m30s (Flagger parses it with time.ParseDuration)',
  });
