// Parsers for single input values. Each refuses a bad value with a UserError whose field is
// the input's name as a workflow writes it (`step-weight`) and whose hint says what to write.
import { parseGoDuration } from 'flagger-types';
import { UserError } from '@greenlight/core';

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them. */
export function booleanValue(name: string, raw: string, fallback: boolean): boolean {
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new UserError(`must be true or false, got "${raw}"`, {
    field: name,
    hint: `Write ${name}: true or ${name}: false`,
  });
}

export function oneOfValue<T extends string>(
  name: string,
  raw: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UserError(`must be one of ${allowed.join(', ')}, got "${raw}"`, {
    field: name,
    hint: `Write ${name}: ${fallback}, or leave it out for the default (${fallback})`,
  });
}

/** A list written one item per line or separated by commas (both are common in workflows). */
export function listValue(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A number for core's option checks; text that is no number passes through for its message. */
export function numberValue(raw: string): number | string | undefined {
  if (raw === '') return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

export function urlValue(name: string, raw: string): string | undefined {
  if (raw === '') return undefined;
  if (/^https?:\/\//.test(raw) && URL.canParse(raw)) return raw.replace(/\/+$/, '');
  const host = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') || 'host.example.com';
  throw new UserError(`must be an http:// or https:// URL, got "${raw}"`, {
    field: name,
    hint: `Write the full URL with its scheme, e.g. https://${host}`,
  });
}

const MAX_TIMEOUT_MS = 6 * 3_600_000;

/** A Go duration (`30m`, `1h30m`, `90s`) or a number of seconds; at most a job's 6 hours. */
export function durationValue(name: string, raw: string, fallbackMs: number): number {
  if (raw === '') return fallbackMs;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : parseGoDuration(raw);
  const hint = 'Write a duration such as 30m, 1h or 90s (a job runs at most 6h)';
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new UserError(`must be a duration, got "${raw}"`, { field: name, hint });
  }
  if (ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw new UserError(`must be above 0 and at most 6h, got "${raw}"`, { field: name, hint });
  }
  return ms;
}
