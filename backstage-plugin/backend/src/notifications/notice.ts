import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { RolloutView } from '@greenlight/core';
import type { RolloutKey } from '../rollout-events/rollouts.ts';

// The notification of one rollout transition. All of a rollout's notices share a scope, so
// its outcome replaces "waits for approval" in the owners' list (marked unread again)
// rather than piling up beside it; the topic is the chatbot's, which a user can mute.

export type Transition = 'waiting' | 'succeeded' | 'failed';

const TITLES: Record<Transition, string> = {
  waiting: 'waits for approval',
  succeeded: 'was promoted',
  failed: 'was rolled back',
};

/** The Rollout tab of the owner entity (the frontend's entity content path, "rollout"). */
export function rolloutTabOf(owner: string): string {
  const { kind, namespace, name } = parseEntityRef(owner);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/rollout`;
}

export function noticeOf(
  transition: Transition,
  key: RolloutKey,
  view: RolloutView,
  owner: string,
): NotificationSendOptions['payload'] {
  return {
    title: `${key.name} revision ${key.revision} ${TITLES[transition]}`,
    description: `${view.reason} (cluster ${key.cluster})`,
    link: rolloutTabOf(owner),
    severity: transition === 'succeeded' ? 'normal' : 'high',
    topic: `greenlight:${key.cluster}/${key.namespace}/${key.name}`,
    scope: `greenlight:${key.cluster}/${key.namespace}/${key.name}/${key.revision}/${key.analysis}`,
  };
}
