// The chat probe's webhooks (docs/design.md, "Chat probes"): Flagger calls greenlight-probe,
// which talks to `<name>-canary` so Linkerd records requests that Flagger's metrics judge.
import type { CanaryWebhook } from 'flagger-types';
import { OptionError } from '../errors.ts';
import { DEFAULT_PROBE_TIMEOUT_MS, probeMetadata } from '../probes/index.ts';
import type { FunctionProbe } from '../probes/types.ts';
import type { CanaryOptions } from './options.ts';

/** greenlight-probe's routes, relative to `probeUrl`. */
export const PROBE_PATHS = { preRollout: '/probe/pre-rollout', rollout: '/probe/rollout' } as const;

export const PROBE_WEBHOOK_NAMES = {
  preRollout: 'greenlight-probe-pre',
  rollout: 'greenlight-probe',
} as const;

/**
 * The per-request timeout render sizes for and writes into the metadata: the prober's
 * default, and the most it then waits (a shorter --request-timeout of its own still applies).
 */
const PROBE_REQUEST_TIMEOUT_MS = DEFAULT_PROBE_TIMEOUT_MS;

/** Room for the prober's own reads (the Canary, the target, a signing secret) and its Event. */
const PROBE_OVERHEAD_SECONDS = 10;

/**
 * The webhook's `timeout`: one call sends every turn of every conversation `rounds` times,
 * one after another, so it may take up to that many of the prober's request timeouts
 * (`requestTimeoutMs`, which the metadata carries and the prober keeps to). Sized so, a slow reply is reported by the prober as the failed
 * turn rather than cut off by Flagger as a bare timeout; Flagger's default (10s) would cut a
 * normal run of a few conversations short and count a failed check.
 */
export function probeWebhookTimeout(
  probe: FunctionProbe,
  rounds: number,
  requestTimeoutMs: number,
): string {
  const turns = probe.conversations.reduce((sum, c) => sum + c.turns.length, 0);
  const seconds = PROBE_OVERHEAD_SECONDS + (rounds * turns * requestTimeoutMs) / 1000;
  return `${Math.ceil(seconds)}s`;
}

/**
 * With a probe: `pre-rollout` runs every conversation once before any traffic shifts (a
 * wrong answer fails it, and Flagger rolls back before a user sees the new version);
 * `rollout` runs them `probeRounds` times every analysis iteration, which is the traffic
 * Flagger's success-rate and latency checks judge when users send none.
 */
export function renderProbeWebhooks(
  probe: FunctionProbe | undefined,
  options: CanaryOptions,
): CanaryWebhook[] {
  if (!probe) return [];
  return [
    {
      name: PROBE_WEBHOOK_NAMES.preRollout,
      type: 'pre-rollout',
      url: `${options.probeUrl}${PROBE_PATHS.preRollout}`,
      timeout: probeWebhookTimeout(probe, 1, PROBE_REQUEST_TIMEOUT_MS),
      metadata: probeMetadata(probe, 1, PROBE_REQUEST_TIMEOUT_MS),
    },
    {
      name: PROBE_WEBHOOK_NAMES.rollout,
      type: 'rollout',
      url: `${options.probeUrl}${PROBE_PATHS.rollout}`,
      timeout: probeWebhookTimeout(probe, options.probeRounds, PROBE_REQUEST_TIMEOUT_MS),
      metadata: probeMetadata(probe, options.probeRounds, PROBE_REQUEST_TIMEOUT_MS),
    },
  ];
}

/**
 * Blue/green routes no user traffic to the new version during its analysis; without a probe
 * Flagger finds no samples, counts failed checks and rolls a good version back. The fix names
 * `probes`, which each surface spells as where it reads probes from (the CLI's `--probes`
 * file, the action's `probes` input, the chart's `probes.conversations`).
 */
export function unprobedBlueGreen(name: string): OptionError {
  return new OptionError(
    'strategy',
    () =>
      `blue-green needs a probe for function "${name}": it sends no user traffic to the new version, so without one Flagger finds no metrics and rolls it back`,
    (n) =>
      `Give function "${name}" conversations in ${n('probes')}, as docs/probes.md shows, or use ${n('strategy', 'canary')}.`,
  );
}
