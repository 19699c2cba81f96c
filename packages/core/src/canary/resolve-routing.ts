// The routing options beyond the provider: testers first (Flagger's A/B testing) and sticky
// conversations (Flagger's sessionAffinity). Both live in the HTTPRoute Flagger writes, so
// both need `provider: gatewayapi`: Flagger's SMI router writes a TrafficSplit, which has
// neither request matches nor response headers (pkg/router/smi.go).
import { OptionError, type OptionText } from '../errors.ts';
import type { CanaryOptionsInput, CanaryProvider, StickySession, TesterMark } from './options.ts';
import { CANARY_DEFAULTS } from './options.ts';
import { testerMarks } from './testers.ts';

type Key = keyof CanaryOptionsInput;
type Input = Partial<CanaryOptionsInput>;

// RFC 6265 cookie-name: an RFC 7230 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The testers' marks and their iterations, or undefined when no mark is given. Flagger's A/B
 * strategy ends in promotion after its iterations (scheduler.go runAB): it does not go on to
 * weighted steps or blue/green, so options of those strategies are refused beside it.
 */
export function resolveTesters(
  input: Input,
  provider: CanaryProvider,
): { testers: TesterMark[]; iterations: number } | undefined {
  const testers = testerMarks(input.testersHeader, input.testersCookie);
  const iterations = positiveInteger('testersIterations', input.testersIterations);
  if (testers.length === 0) {
    if (iterations !== undefined) {
      fail(
        'testersIterations',
        (n) => `is only used with ${n('testersHeader')} or ${n('testersCookie')}`,
        (n) =>
          `Mark the testers with ${n('testersHeader', 'X-Slack-Team-Id=T0123')}, or drop ${n('testersIterations')}.`,
      );
    }
    return undefined;
  }
  const by = input.testersHeader !== undefined ? 'testersHeader' : 'testersCookie';
  needsGatewayApi(by, provider);
  for (const key of ['strategy', 'stepWeight', 'maxWeight', 'stepWeights', 'iterations'] as const) {
    if (input[key] === undefined) continue;
    fail(
      key,
      (n) =>
        `cannot be combined with ${n(by)}: Flagger runs testers first (A/B testing) as a strategy of its own, promoting after ${n('testersIterations')} runs; it does not go on to a canary or blue/green`,
      (n) =>
        `Drop ${n(key)} to send the testers first and then promote, or drop ${n(by)} to run a canary or blue/green for everyone.`,
    );
  }
  if (input.stickyCookie !== undefined) {
    fail(
      'stickyCookie',
      (n) =>
        `cannot be combined with ${n(by)}: a tester's every request reaches the new version already`,
      (n) => `Drop ${n('stickyCookie')}.`,
    );
  }
  return { testers, iterations: iterations ?? CANARY_DEFAULTS.testersIterations };
}

/**
 * Flagger's sessionAffinity: a client green answered gets a cookie that sends it to green
 * again, so a conversation stays on one version while the weights move. Only a weighted
 * canary moves weights: blue/green and testers send each client's requests to one side.
 */
export function resolveSticky(
  input: Input,
  provider: CanaryProvider,
  strategy: 'canary' | 'blue-green',
): StickySession | undefined {
  const maxAge = positiveInteger('stickyMaxAge', input.stickyMaxAge);
  const cookieName = input.stickyCookie;
  if (cookieName === undefined) {
    if (maxAge !== undefined) {
      fail(
        'stickyMaxAge',
        (n) => `is only used with ${n('stickyCookie')}`,
        (n) =>
          `Name the cookie with ${n('stickyCookie', 'greenlight-version')}, or drop ${n('stickyMaxAge')}.`,
      );
    }
    return undefined;
  }
  if (typeof cookieName !== 'string' || !TOKEN.test(cookieName) || cookieName.length > 256) {
    fail(
      'stickyCookie',
      () =>
        `must be a cookie name of letters, digits and !#$%&'*+-.^_\`|~ (an RFC 6265 cookie-name), got ${JSON.stringify(cookieName)}`,
      (n) => `For example ${n('stickyCookie', 'greenlight-version')}.`,
    );
  }
  needsGatewayApi('stickyCookie', provider);
  if (strategy !== 'canary') {
    fail(
      'stickyCookie',
      (n) =>
        `is only for ${n('strategy', 'canary')}: blue/green switches every client at once, so no conversation is split`,
      (n) => `Drop ${n('stickyCookie')}, or use ${n('strategy', 'canary')}.`,
    );
  }
  return { cookieName, ...(maxAge !== undefined ? { maxAge } : {}) };
}

function needsGatewayApi(key: Key, provider: CanaryProvider): void {
  if (provider === 'gatewayapi') return;
  fail(
    key,
    (n) =>
      `needs ${n('provider', 'gatewayapi')}: Flagger's linkerd provider writes an SMI TrafficSplit, which routes by weight alone`,
    (n) => `Use ${n('provider', 'gatewayapi')} (HTTPRoute), or drop ${n(key)}.`,
  );
}

function positiveInteger(key: Key, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2_147_483_647)
    return value;
  return fail(
    key,
    () => `must be an integer of at least 1, got ${JSON.stringify(value)}`,
    (n) => `For example ${n(key, '10')}.`,
  );
}

function fail(key: Key, reason: OptionText, fix?: OptionText): never {
  throw new OptionError(key, reason, fix);
}
