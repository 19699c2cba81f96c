import { durationSeconds } from '@greenlight/core';
import { evaluate } from './evaluate.ts';
import type { CounterSource } from './evaluate.ts';
import { formatValue } from '../mesh/index.ts';
import { parseQuery, QueryError } from './promql.ts';

// The Prometheus HTTP API's `/api/v1/query` and `/api/v1/query_range`
// (prometheus.io/docs/prometheus/latest/querying/api/) over the mesh's scraped counts: the same
// envelope, the same parameter forms (Unix seconds or RFC 3339 times, steps as seconds or
// durations) and Prometheus-style errors. Which queries it answers: see promql.ts.

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Prometheus' limit on the points of one series in a range query. */
const MAX_POINTS = 11_000;

export function answerQuery(
  source: CounterSource & { now(): number },
  params: URLSearchParams,
): ApiAnswer {
  return answer(() => {
    const query = parseQuery(required(params, 'query'));
    const atMs = params.has('time') ? time(params, 'time') : source.now();
    const result = evaluate(query, source, atMs).map(({ labels, value }) => ({
      metric: labels,
      value: [atMs / 1000, formatValue(value)],
    }));
    return { resultType: 'vector', result };
  });
}

export function answerQueryRange(source: CounterSource, params: URLSearchParams): ApiAnswer {
  return answer(() => {
    const query = parseQuery(required(params, 'query'));
    const startMs = time(params, 'start');
    const endMs = time(params, 'end');
    const stepMs = step(required(params, 'step')) * 1000;
    if (endMs < startMs) throw new QueryError('end timestamp must not be before start time');
    if ((endMs - startMs) / stepMs > MAX_POINTS) {
      throw new QueryError(
        `exceeded maximum resolution of ${MAX_POINTS} points per timeseries. Try decreasing the query resolution (?step=XX)`,
      );
    }
    const series = new Map<
      string,
      { metric: Record<string, string>; values: [number, string][] }
    >();
    for (let atMs = startMs; atMs <= endMs; atMs += stepMs) {
      for (const { labels, value } of evaluate(query, source, atMs)) {
        const key = JSON.stringify(labels);
        const entry = series.get(key) ?? { metric: labels, values: [] };
        entry.values.push([atMs / 1000, formatValue(value)]);
        series.set(key, entry);
      }
    }
    return { resultType: 'matrix', result: [...series.values()] };
  });
}

function answer(run: () => unknown): ApiAnswer {
  try {
    return { status: 200, body: { status: 'success', data: run() } };
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    return {
      status: 400,
      body: { status: 'error', errorType: error.errorType, error: error.message },
    };
  }
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new QueryError(`missing parameter "${name}"`);
  return value;
}

function time(params: URLSearchParams, name: string): number {
  const text = required(params, name);
  const seconds = Number(text);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new QueryError(
      `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`,
    );
  }
  return ms;
}

function step(text: string): number {
  const seconds = Number(text);
  let value = seconds;
  if (!Number.isFinite(seconds)) {
    try {
      value = durationSeconds(text);
    } catch {
      value = NaN;
    }
  }
  if (!(value > 0)) {
    throw new QueryError(
      `invalid parameter "step": cannot parse "${text}" to a valid duration (zero or negative query resolution step widths are not accepted)`,
    );
  }
  return value;
}
