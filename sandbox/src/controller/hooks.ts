import type { Canary, CanaryPhase, CanaryWebhook, WebhookType } from 'flagger-types';
import type { CanaryStatusOps } from './canary-status-ops.ts';
import { dotted } from './messages.ts';
import type { EventRecorder } from './events.ts';
import { callWebhook } from './webhooks.ts';

// Flagger's webhook runners (pkg/controller/scheduler_hooks.go): which phase each hook type
// is called with, and what a pass or a failure does to the Canary's status and Events.

export class Hooks {
  readonly #events: EventRecorder;
  readonly #status: CanaryStatusOps;

  constructor(events: EventRecorder, status: CanaryStatusOps) {
    this.#events = events;
    this.#status = status;
  }

  /** confirm-traffic-increase: each failing hook holds the weight where it is. */
  async confirmTrafficIncrease(canary: Canary): Promise<boolean> {
    for (const webhook of webhooksOf(canary, 'confirm-traffic-increase')) {
      if (!(await passes(canary, 'Progressing', webhook))) {
        await this.#events.warn(
          canary,
          `Halt ${id(canary)} advancement waiting for traffic increase approval ${webhook.name}`,
        );
        return false;
      }
      await this.#events.info(canary, `Confirm-traffic-increase check ${webhook.name} passed`);
    }
    return true;
  }

  /** confirm-rollout: a closed gate holds a new revision in Waiting before any analysis. */
  async confirmRollout(canary: Canary): Promise<boolean> {
    const phase = canary.status?.phase || 'Initialized';
    for (const webhook of webhooksOf(canary, 'confirm-rollout')) {
      if (!(await passes(canary, phase as CanaryPhase, webhook))) {
        if (canary.status?.phase !== 'Waiting') {
          await this.#status.phase(canary, 'Waiting');
          await this.#events.warn(
            canary,
            `Halt ${id(canary)} advancement waiting for approval ${webhook.name}`,
          );
        }
        return false;
      }
      await this.#events.info(canary, `Confirm-rollout check ${webhook.name} passed`);
    }
    return true;
  }

  /**
   * confirm-promotion, called with phase Progressing even while waiting. The first refusal
   * moves the Canary to WaitingPromotion with an Event; later refusals only set
   * `iterations` to `analysis.iterations - 1`, silently, as Flagger does.
   */
  async confirmPromotion(canary: Canary): Promise<boolean> {
    for (const webhook of webhooksOf(canary, 'confirm-promotion')) {
      if (!(await passes(canary, 'Progressing', webhook))) {
        if (canary.status?.phase !== 'WaitingPromotion') {
          await this.#status.phase(canary, 'WaitingPromotion');
          await this.#events.warn(
            canary,
            `Halt ${id(canary)} advancement waiting for promotion approval ${webhook.name}`,
          );
        } else {
          await this.#status.iterations(canary, (canary.spec.analysis?.iterations ?? 0) - 1);
        }
        return false;
      }
      await this.#events.info(canary, `Confirm-promotion check ${webhook.name} passed`);
    }
    return true;
  }

  /** pre-rollout: a failure halts the start of the analysis (and counts a failed check). */
  async preRollout(canary: Canary): Promise<boolean> {
    for (const webhook of webhooksOf(canary, 'pre-rollout')) {
      const failure = await failureOf(canary, 'Progressing', webhook);
      if (failure !== undefined) {
        await this.#events.warn(
          canary,
          `Halt ${id(canary)} advancement pre-rollout check ${webhook.name} failed ${failure}`,
        );
        return false;
      }
      await this.#events.info(canary, `Pre-rollout check ${webhook.name} passed`);
    }
    return true;
  }

  /** rollout (and untyped) hooks, run with the metric checks at every step. */
  async rollout(canary: Canary): Promise<boolean> {
    for (const webhook of canary.spec.analysis?.webhooks ?? []) {
      if (webhook.type && webhook.type !== 'rollout') continue;
      const failure = await failureOf(canary, 'Progressing', webhook);
      if (failure !== undefined) {
        await this.#events.warn(
          canary,
          `Halt ${id(canary)} advancement external check ${webhook.name} failed ${failure}`,
        );
        return false;
      }
    }
    return true;
  }

  /** post-rollout, after Succeeded or Failed. */
  async postRollout(canary: Canary, phase: CanaryPhase): Promise<boolean> {
    for (const webhook of webhooksOf(canary, 'post-rollout')) {
      const failure = await failureOf(canary, phase, webhook);
      if (failure !== undefined) {
        await this.#events.warn(canary, `Post-rollout hook ${webhook.name} failed ${failure}`);
        return false;
      }
      await this.#events.info(canary, `Post-rollout check ${webhook.name} passed`);
    }
    return true;
  }

  /** rollback: a hook that passes (2xx) asks for the canary to be rolled back. */
  async rollback(canary: Canary, phase: CanaryPhase): Promise<boolean> {
    for (const webhook of webhooksOf(canary, 'rollback')) {
      if (await passes(canary, phase, webhook)) {
        await this.#events.warn(canary, `Rollback check ${webhook.name} passed`);
        return true;
      }
      await this.#events.info(canary, `Rollback hook ${webhook.name} not signaling a rollback`);
    }
    return false;
  }
}

function webhooksOf(canary: Canary, type: WebhookType): CanaryWebhook[] {
  return (canary.spec.analysis?.webhooks ?? []).filter((webhook) => webhook.type === type);
}

async function passes(canary: Canary, phase: CanaryPhase, webhook: CanaryWebhook) {
  return (await failureOf(canary, phase, webhook)) === undefined;
}

/** Why the webhook failed, or undefined when it passed. */
async function failureOf(
  canary: Canary,
  phase: CanaryPhase,
  webhook: CanaryWebhook,
): Promise<string | undefined> {
  try {
    await callWebhook(canary, phase, webhook);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function id(canary: Canary): string {
  return dotted(canary.metadata.name, canary.metadata.namespace);
}
