import { MAX_WEBHOOK_METADATA_VALUE_LENGTH } from '../approval/payload.ts';
import { OptionError, UserError } from '../errors.ts';
import { describe, lookupIn, problemsFromIssues } from '../stack/issues.ts';
import { fieldOf } from '../stack/problem.ts';
import { toFunctionProbe, toFunctionProbeInput } from './convert.ts';
import { DEFAULT_PROBE_TIMEOUT_MS } from './run.ts';
import { functionRules } from './rules.ts';
import {
  MAX_PROBE_RUN_BYTES,
  MAX_PROBE_RUN_REQUESTS,
  probeRunSize,
  runSizeProblem,
} from './run-size.ts';
import { functionProbeSchema } from './schema.ts';
import type { FunctionProbe } from './types.ts';
import { probeWords } from './words.ts';

// Flagger's webhook metadata is map[string]string, so the probe travels as one JSON value: the
// function's probes.yml entry, checked on the way back with the same schema and rules. The
// prober reads it from whatever POSTs to it, so it is untrusted: size-limited and checked whole.

/**
 * The metadata keys of the probe webhooks. `requestTimeout` is the per-request timeout (ms)
 * render sized the webhook's own timeout for; the prober never waits longer than it, so a
 * slow reply is its failed turn, never Flagger cutting the call off.
 */
export const PROBE_METADATA = {
  probe: 'probe',
  rounds: 'rounds',
  requestTimeout: 'requestTimeout',
} as const;

/** The longest per-request timeout the metadata may ask for: one minute. */
export const MAX_PROBE_REQUEST_TIMEOUT_MS = 60_000;

/** The most conversations per webhook call: a run must end well inside Flagger's webhook timeout. */
export const MAX_PROBE_ROUNDS = 100;

/**
 * The longest probe JSON accepted, in characters: the webhook payload's limit on a metadata
 * value, so a probe probes.yml accepts is one the prober's payload parse accepts. The
 * example's three conversations are about 800.
 */
export const MAX_PROBE_METADATA_LENGTH = MAX_WEBHOOK_METADATA_VALUE_LENGTH;

const WORDS = probeWords(functionProbeSchema);
const RE_RENDER =
  'The webhook metadata is written by greenlight render; render and apply the Canary again';

/** The webhook metadata carrying `probe`, run `rounds` times per call, each request at most `requestTimeoutMs`. */
export function probeMetadata(
  probe: FunctionProbe,
  rounds: number,
  requestTimeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS,
): Record<string, string> {
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_PROBE_ROUNDS) {
    throw new OptionError(
      'probeRounds',
      () => `must be a whole number from 1 to ${MAX_PROBE_ROUNDS}, not ${rounds}`,
      (name) =>
        `Set it to the conversations sent per analysis interval, e.g. ${name('probeRounds', '5')}`,
    );
  }
  const size = probeRunSize(probe, rounds);
  const tooLarge = runSizeProblem(size);
  if (tooLarge) {
    const most = Math.max(
      1,
      Math.min(
        Math.floor(MAX_PROBE_RUN_REQUESTS / size.turns),
        Math.floor((MAX_PROBE_RUN_BYTES * rounds) / size.bytes),
      ),
    );
    throw new OptionError(
      'probeRounds',
      () => `is ${rounds}, and with it ${tooLarge}`,
      (name) =>
        `Lower it, e.g. ${name('probeRounds', String(most))}, or shorten the function's conversations in ${name('probes')}`,
    );
  }
  return {
    [PROBE_METADATA.probe]: probeJson(probe),
    [PROBE_METADATA.rounds]: String(rounds),
    [PROBE_METADATA.requestTimeout]: String(requestTimeoutMs),
  };
}

/** The probe as the metadata carries it: its probes.yml entry as JSON. */
export function probeJson(probe: FunctionProbe): string {
  return JSON.stringify(toFunctionProbeInput(probe));
}

/** What a probe webhook asks of the prober. */
export interface ProbeWebhookRequest {
  probe: FunctionProbe;
  rounds: number;
  /** The per-request timeout render sized the webhook for; absent in Canaries rendered before it was written. */
  requestTimeoutMs?: number;
}

/** The probe, rounds and request timeout of a webhook's metadata, as probeMetadata wrote them; else a UserError. */
export function probeFromMetadata(metadata: unknown): ProbeWebhookRequest {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new UserError('the webhook has no metadata', {
      field: 'metadata',
      hint: `Give the webhook metadata: {${PROBE_METADATA.probe}: <probe JSON>, ${PROBE_METADATA.rounds}: "<n>"}. ${RE_RENDER}`,
    });
  }
  const {
    [PROBE_METADATA.probe]: text,
    [PROBE_METADATA.rounds]: rounds,
    [PROBE_METADATA.requestTimeout]: timeout,
  } = metadata as Record<string, unknown>;
  const requestTimeoutMs = timeout === undefined ? undefined : timeoutFrom(timeout);
  const request = {
    probe: probeFromJson(text),
    rounds: roundsFrom(rounds),
    ...(requestTimeoutMs !== undefined && { requestTimeoutMs }),
  };
  const tooLarge = runSizeProblem(probeRunSize(request.probe, request.rounds));
  if (tooLarge) {
    throw new UserError(
      `metadata.${PROBE_METADATA.rounds} is ${request.rounds}, and with it ${tooLarge}`,
      {
        field: `metadata.${PROBE_METADATA.rounds}`,
        hint: RE_RENDER,
      },
    );
  }
  return request;
}

function probeFromJson(text: unknown): FunctionProbe {
  const field = `metadata.${PROBE_METADATA.probe}`;
  if (typeof text !== 'string') {
    throw new UserError(`${field} is ${text === undefined ? 'missing' : 'not a string'}`, {
      field,
      hint: `Give the probe as JSON in one string. ${RE_RENDER}`,
    });
  }
  if (text.length > MAX_PROBE_METADATA_LENGTH) {
    throw new UserError(
      `${field} is ${text.length} characters, more than the ${MAX_PROBE_METADATA_LENGTH} a probe may have`,
      {
        field,
        hint: 'Keep the conversations of probes.yml to what a health check needs: a few turns each',
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${field} is not JSON: ${(error as Error).message}`, {
      field,
      hint: RE_RENDER,
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UserError(`${field} must be a JSON object, not ${describe(data)}`, {
      field,
      hint: RE_RENDER,
    });
  }
  const parsed = functionProbeSchema.safeParse(data);
  const problems = functionRules(data, [], 'the probe');
  if (!parsed.success) {
    problems.push(...problemsFromIssues(parsed.error.issues, lookupIn(data), WORDS));
  }
  const first = problems[0];
  if (first) {
    const where = fieldOf(['metadata', PROBE_METADATA.probe, ...first.path]);
    throw new UserError(first.message, { field: where, hint: first.hint });
  }
  if (!parsed.success) throw new UserError(parsed.error.message, { field }); // unreachable: every issue is a problem
  return toFunctionProbe(parsed.data);
}

function roundsFrom(value: unknown): number {
  const field = `metadata.${PROBE_METADATA.rounds}`;
  const rounds = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (rounds >= 1 && rounds <= MAX_PROBE_ROUNDS) return rounds;
  throw new UserError(
    `${field} must be a whole number from 1 to ${MAX_PROBE_ROUNDS} in a string, not ${value === undefined ? 'missing' : JSON.stringify(value)}`,
    { field, hint: RE_RENDER },
  );
}

function timeoutFrom(value: unknown): number {
  const field = `metadata.${PROBE_METADATA.requestTimeout}`;
  const ms = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (ms >= 1 && ms <= MAX_PROBE_REQUEST_TIMEOUT_MS) return ms;
  throw new UserError(
    `${field} must be a whole number of milliseconds from 1 to ${MAX_PROBE_REQUEST_TIMEOUT_MS} in a string, not ${JSON.stringify(value)}`,
    { field, hint: RE_RENDER },
  );
}
