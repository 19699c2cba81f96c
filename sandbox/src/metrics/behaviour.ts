import { UserError } from '@greenlight/core';

// How one version of a chatbot behaves in the sandbox. A demo ships a bad version by
// stamping its pod template, e.g.
//   sandbox.greenlight.dev/behaviour: "success-rate=82,p99=900"
// and the sandbox's traffic then answers 82 % of requests with success and a p99 near
// 900 ms. Promotion copies the template to `<name>-primary`, and the behaviour with it.

export const BEHAVIOUR_ANNOTATION = 'sandbox.greenlight.dev/behaviour';

/**
 * Success rate in percent (as Flagger's thresholds and the annotation write it — not a
 * fraction) and latency quantiles in milliseconds.
 */
export interface Behaviour {
  successPercent: number;
  p50Ms: number;
  p99Ms: number;
}

/** A healthy service: 99.9 % success, p50 40 ms, p99 120 ms. */
export const DEFAULT_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  successPercent: 99.9,
  p50Ms: 40,
  p99Ms: 120,
});

// The default p99 is three times the p50; a missing quantile keeps that ratio.
const TAIL_RATIO = DEFAULT_BEHAVIOUR.p99Ms / DEFAULT_BEHAVIOUR.p50Ms;
const KEYS = ['success-rate', 'p50', 'p99'] as const;
type Key = (typeof KEYS)[number];
const HINT = `Write it as comma-separated key=value pairs with keys ${KEYS.join(', ')}, e.g. "success-rate=82,p99=900" (percent and milliseconds)`;

/** Parses the annotation's value; keys left out keep the default behaviour's. */
export function parseBehaviour(
  text: string,
  where = `annotation ${BEHAVIOUR_ANNOTATION}`,
): Behaviour {
  const fail = (why: string): never => {
    throw new UserError(`${where} "${text}": ${why}`, { field: BEHAVIOUR_ANNOTATION, hint: HINT });
  };
  const given: Partial<Record<Key, number>> = {};
  if (text.trim() === '') fail('is empty');
  for (const pair of text.split(',')) {
    const [rawKey = '', rawValue, ...rest] = pair.split('=');
    const key = rawKey.trim();
    if (rawValue === undefined || rest.length > 0) fail(`"${pair.trim()}" is not key=value`);
    if (!(KEYS as readonly string[]).includes(key)) fail(`"${key}" is not a known key`);
    if (given[key as Key] !== undefined) fail(`"${key}" is given twice`);
    given[key as Key] = number(key as Key, String(rawValue), fail);
  }

  const successPercent = given['success-rate'] ?? DEFAULT_BEHAVIOUR.successPercent;
  if (successPercent > 100)
    fail(`success-rate ${successPercent} is above 100 (it is a percentage)`);
  const p50Ms =
    given.p50 ?? (given.p99 !== undefined ? given.p99 / TAIL_RATIO : DEFAULT_BEHAVIOUR.p50Ms);
  const p99Ms =
    given.p99 ?? (given.p50 !== undefined ? given.p50 * TAIL_RATIO : DEFAULT_BEHAVIOUR.p99Ms);
  if (p50Ms <= 0 || p99Ms <= 0) fail('latencies must be above 0 ms');
  if (p50Ms > p99Ms) fail(`p50 ${p50Ms} ms is above p99 ${p99Ms} ms`);
  return { successPercent, p50Ms, p99Ms };
}

/** The parts of a Deployment the behaviour is read from. */
export interface DeploymentLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
}

/** The behaviour stamped on a Deployment's pod template, or the default one. */
export function behaviourOf(deployment: DeploymentLike): Behaviour {
  const text = deployment.spec?.template?.metadata?.annotations?.[BEHAVIOUR_ANNOTATION];
  if (text === undefined) return { ...DEFAULT_BEHAVIOUR };
  const { namespace = 'default', name = '(unnamed)' } = deployment.metadata ?? {};
  return parseBehaviour(
    text,
    `Deployment ${namespace}/${name}: pod-template annotation ${BEHAVIOUR_ANNOTATION}`,
  );
}

/** Checks a behaviour given in code (the same rules as the annotation). */
export function checkBehaviour(behaviour: Behaviour, where: string): Behaviour {
  const { successPercent, p50Ms, p99Ms } = behaviour;
  const ok =
    [successPercent, p50Ms, p99Ms].every(Number.isFinite) &&
    successPercent >= 0 &&
    successPercent <= 100 &&
    p50Ms > 0 &&
    p50Ms <= p99Ms;
  if (!ok) {
    throw new UserError(`${where}: ${JSON.stringify(behaviour)} is not a behaviour`, {
      field: 'behaviour',
      hint: 'successPercent is a percentage from 0 to 100; 0 < p50Ms <= p99Ms, in milliseconds',
    });
  }
  return { successPercent, p50Ms, p99Ms };
}

function number(key: Key, raw: string, fail: (why: string) => never): number {
  const unit = key === 'success-rate' ? '%' : 'ms';
  const text = raw.trim().replace(new RegExp(`${unit}$`), '');
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0) {
    fail(
      `${key} "${raw.trim()}" is not a non-negative number${unit === '%' ? ' (percent)' : ' of milliseconds'}`,
    );
  }
  return value;
}
