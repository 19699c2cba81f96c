import { CRD_DURATION_PATTERN, parseGoDuration } from 'flagger-types';
import { OptionError, UserError, type OptionText } from '../errors.ts';
import { MAX_PROBE_ROUNDS } from '../probes/index.ts';
import { isDnsLabel } from '../stack/names.ts';
import { parseAlerts, parseClusterName } from './alerts.ts';
import { CANARY_OPTIONS } from './option-list.ts';
import { resolveSticky, resolveTesters } from './resolve-routing.ts';
import {
  CANARY_DEFAULTS,
  DEFAULT_PROMETHEUS_ADDRESS,
  type CanaryOptions,
  type CanaryOptionsInput,
  type CanaryProvider,
  type CanaryStrategy,
} from './options.ts';

type Key = keyof CanaryOptionsInput;

/**
 * Checks the user's canary options, fills in defaults and refuses contradictions, so the
 * rendered Canary is one Flagger accepts and runs as the user meant. Errors are OptionErrors
 * carrying the option (`stepWeight`) in neutral words; each surface spells them its own way
 * (`error.spelled(namer)`: the CLI `--step-weight`, the action `step-weight`).
 */
export function resolveCanaryOptions(input: Partial<CanaryOptionsInput>): CanaryOptions {
  refuseUnknownKeys(input);
  const given = <K extends Key>(key: K): CanaryOptionsInput[K] | undefined => input[key];

  const strategy = oneOf<CanaryStrategy>('strategy', given('strategy'), ['canary', 'blue-green']);
  const provider = oneOf<CanaryProvider>('provider', given('provider'), ['linkerd', 'gatewayapi']);
  const approval = boolean('approval', given('approval')) ?? CANARY_DEFAULTS.approval;
  const gateUrl = httpUrl('gateUrl', given('gateUrl'));
  if (gateUrl !== undefined && !approval) {
    fail(
      'gateUrl',
      (n) => `is only used with ${n('approval', 'true')}`,
      (n) => `Add ${n('approval', 'true')}, or drop ${n('gateUrl')}.`,
    );
  }
  const prometheusAddress = httpUrl('prometheusAddress', given('prometheusAddress'));

  const common = {
    namespace: namespace(given('namespace')),
    provider: provider ?? CANARY_DEFAULTS.provider,
    interval: interval(given('interval')),
    threshold:
      integer('threshold', given('threshold'), 1, Number.MAX_SAFE_INTEGER) ??
      CANARY_DEFAULTS.threshold,
    minSuccessRate:
      percent('minSuccessRate', given('minSuccessRate')) ?? CANARY_DEFAULTS.minSuccessRate,
    maxLatencyMs: positive('maxLatencyMs', given('maxLatencyMs')) ?? CANARY_DEFAULTS.maxLatencyMs,
    approval,
    gateUrl: gateUrl ?? CANARY_DEFAULTS.gateUrl,
    probeUrl: httpUrl('probeUrl', given('probeUrl')) ?? CANARY_DEFAULTS.probeUrl,
    probeRounds:
      integer('probeRounds', given('probeRounds'), 1, MAX_PROBE_ROUNDS) ??
      CANARY_DEFAULTS.probeRounds,
    port: integer('port', given('port'), 1, 65535) ?? CANARY_DEFAULTS.port,
    ...optionalOwner(given('owner')),
    ...optionalAlerts(given('alerts'), given('clusterName')),
  };
  const withPrometheus =
    prometheusAddress !== undefined || common.provider === 'gatewayapi'
      ? { ...common, prometheusAddress: prometheusAddress ?? DEFAULT_PROMETHEUS_ADDRESS }
      : common;

  const testers = resolveTesters(input, withPrometheus.provider);
  if (testers) return { ...withPrometheus, strategy: 'ab-testing', ...testers };
  const sticky = resolveSticky(
    input,
    withPrometheus.provider,
    strategy ?? CANARY_DEFAULTS.strategy,
  );

  const stepWeight = integer('stepWeight', given('stepWeight'), 1, 100);
  const maxWeight = integer('maxWeight', given('maxWeight'), 1, 100);
  const stepWeights = weightList(given('stepWeights'));
  const iterations = integer('iterations', given('iterations'), 1, Number.MAX_SAFE_INTEGER);

  if ((strategy ?? CANARY_DEFAULTS.strategy) === 'blue-green') {
    // Flagger runs blue/green when analysis has iterations and no weights (DeploymentStrategy).
    for (const key of ['stepWeight', 'maxWeight', 'stepWeights'] as const) {
      if (input[key] !== undefined) {
        fail(
          key,
          (n) =>
            `is only for ${n('strategy', 'canary')}; blue-green switches all traffic after ${n('iterations')} runs`,
          (n) => `Drop ${n(key)}, or use ${n('strategy', 'canary')}.`,
        );
      }
    }
    return {
      ...withPrometheus,
      strategy: 'blue-green',
      iterations: iterations ?? CANARY_DEFAULTS.iterations,
    };
  }

  if (iterations !== undefined) {
    fail(
      'iterations',
      (n) =>
        `is only for ${n('strategy', 'blue-green')}; a canary moves by ${n('stepWeight')} or ${n('stepWeights')}`,
      (n) => `Add ${n('strategy', 'blue-green')}, or drop ${n('iterations')}.`,
    );
  }
  if (stepWeights !== undefined) {
    // The CRD allows exactly one of stepWeight/stepWeights, and with stepWeights Flagger
    // ignores maxWeight (the last step is the maximum, scheduler.go maxWeight()).
    if (stepWeight !== undefined) {
      fail(
        'stepWeights',
        (n) => `cannot be combined with ${n('stepWeight')}`,
        (n) => `Give either ${n('stepWeight')} (with ${n('maxWeight')}) or ${n('stepWeights')}.`,
      );
    }
    if (maxWeight !== undefined) {
      fail(
        'maxWeight',
        (n) => `cannot be combined with ${n('stepWeights')}: the last step is the maximum weight`,
        (n) => `Drop ${n('maxWeight')}, or end ${n('stepWeights')} at the weight you want.`,
      );
    }
    return { ...withPrometheus, strategy: 'canary', stepWeights, ...(sticky ? { sticky } : {}) };
  }
  const step = stepWeight ?? CANARY_DEFAULTS.stepWeight;
  const max = maxWeight ?? CANARY_DEFAULTS.maxWeight;
  if (max < step) {
    fail(
      'maxWeight',
      `must be at least the step weight (${step}), got ${max}`,
      (n) => `Raise ${n('maxWeight')} or lower ${n('stepWeight')}.`,
    );
  }
  return {
    ...withPrometheus,
    strategy: 'canary',
    stepWeight: step,
    maxWeight: max,
    ...(sticky ? { sticky } : {}),
  };
}

/** Refuses an option; the text names other options through `n` so every surface can spell them. */
function fail(key: Key, reason: string | OptionText, fix?: string | OptionText): never {
  const words = (text: string | OptionText): OptionText =>
    typeof text === 'string' ? () => text : text;
  throw new OptionError(key, words(reason), fix === undefined ? undefined : words(fix));
}

function refuseUnknownKeys(input: object): void {
  for (const key of Object.keys(input)) {
    if (!(key in CANARY_OPTIONS)) {
      throw new UserError(`unknown canary option "${key}"`, {
        field: key,
        hint: `Known options: ${Object.keys(CANARY_OPTIONS).join(', ')}.`,
      });
    }
  }
}

function oneOf<T extends string>(key: Key, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  return fail(key, `must be ${allowed.join(' or ')}, got ${JSON.stringify(value)}`);
}

function boolean(key: Key, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  return fail(key, `must be true or false, got ${JSON.stringify(value)}`);
}

function integer(key: Key, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
    return value;
  const range =
    max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`;
  return fail(key, `must be an integer ${range}, got ${JSON.stringify(value)}`);
}

function percent(key: Key, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value >= 0 && value <= 100) return value;
  return fail(key, `must be a percentage between 0 and 100, got ${JSON.stringify(value)}`);
}

function positive(key: Key, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  return fail(key, `must be a number of milliseconds above 0, got ${JSON.stringify(value)}`);
}

function weightList(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (step) => typeof step === 'number' && Number.isInteger(step) && step >= 1 && step <= 100,
    );
  if (!valid) {
    fail(
      'stepWeights',
      `must be integers between 1 and 100, got ${JSON.stringify(value)}`,
      (n) => `For example ${n('stepWeights', '5,10,25,50')}.`,
    );
  }
  // Flagger finds the next step by walking the list in order (scheduler.go nextStepWeight).
  if (!value.every((step, i) => i === 0 || step > value[i - 1])) {
    fail(
      'stepWeights',
      `must rise step by step, got ${value.join(',')}`,
      (n) => `For example ${n('stepWeights', '5,10,25,50')}.`,
    );
  }
  return [...value] as number[];
}

// Backstage's entity ref, written out in full so that no default kind or namespace is guessed.
const ENTITY_REF = /^[^:/\s]+:[^:/\s]+\/[^:/\s]+$/;

function optionalOwner(value: unknown): { owner?: string } {
  if (value === undefined) return {};
  if (typeof value === 'string' && ENTITY_REF.test(value.trim())) return { owner: value.trim() };
  return fail(
    'owner',
    `must be a Backstage entity ref <kind>:<namespace>/<name>, got ${JSON.stringify(value)}`,
    (n) =>
      `Give the catalog entity of the chatbot, e.g. ${n('owner', 'component:default/chatbot')}.`,
  );
}

function optionalAlerts(
  value: unknown,
  cluster: unknown,
): { alerts?: CanaryOptions['alerts']; clusterName?: string } {
  const alerts = parseAlerts(value);
  const clusterName = parseClusterName(cluster, alerts);
  return {
    ...(alerts.length > 0 ? { alerts } : {}),
    ...(clusterName !== undefined ? { clusterName } : {}),
  };
}

function namespace(value: unknown): string {
  if (value === undefined) return CANARY_DEFAULTS.namespace;
  if (typeof value === 'string' && isDnsLabel(value)) return value;
  return fail(
    'namespace',
    `must be a Kubernetes namespace name (lowercase letters, digits and '-'), got ${JSON.stringify(value)}`,
  );
}

function interval(value: unknown): string {
  if (value === undefined) return CANARY_DEFAULTS.interval;
  const hint = 'Use minutes and seconds, e.g. 30s, 1m or 1m30s.';
  // The CRD pattern ^[0-9]+(m|s) refuses hours; Flagger parses the rest with Go's ParseDuration.
  const ms =
    typeof value === 'string' && CRD_DURATION_PATTERN.test(value)
      ? parseGoDuration(value)
      : undefined;
  if (ms === undefined)
    return fail(
      'interval',
      `must be a duration like 30s or 1m, got ${JSON.stringify(value)}`,
      hint,
    );
  // Flagger never runs the analysis more often than every 10s (GetAnalysisInterval).
  if (ms < 10_000)
    return fail(
      'interval',
      `must be at least 10s, got ${value}`,
      'Flagger treats shorter intervals as 10s.',
    );
  return value as string;
}

function httpUrl(key: Key, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value)) {
    return value.replace(/\/+$/, '');
  }
  return fail(key, `must be an http:// or https:// URL, got ${JSON.stringify(value)}`);
}
