import type { CanaryWebhook } from 'flagger-types';
import type { CanaryOptions } from './options.ts';

/** The gate's routes, relative to `--gate-url` (gate/src/server.ts serves them). */
export const GATE_PATHS = { promotion: '/gate/promotion', rollback: '/gate/rollback' } as const;

/**
 * Flagger fails a webhook that does not answer in time; a closed gate only holds the canary
 * at max weight, so a short timeout costs one interval, never a rollout.
 */
export const GATE_WEBHOOK_TIMEOUT = '10s';

/**
 * With approval on: `confirm-promotion` keeps the canary at max weight (WaitingPromotion)
 * until the gate answers 2xx for the approved revision; `rollback` rolls the canary back
 * when the gate answers 2xx for an aborted revision.
 */
export function renderApprovalWebhooks(options: CanaryOptions): CanaryWebhook[] {
  if (!options.approval) return [];
  return [
    {
      name: 'greenlight-approval',
      type: 'confirm-promotion',
      url: `${options.gateUrl}${GATE_PATHS.promotion}`,
      timeout: GATE_WEBHOOK_TIMEOUT,
    },
    {
      name: 'greenlight-abort',
      type: 'rollback',
      url: `${options.gateUrl}${GATE_PATHS.rollback}`,
      timeout: GATE_WEBHOOK_TIMEOUT,
    },
  ];
}
