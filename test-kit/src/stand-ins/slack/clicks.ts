// Clicks on a rollout message's buttons as Slack sends them to the interactivity endpoint:
// a form-encoded `payload` of a block_actions interaction, signed the way Slack documents
// (api.slack.com/authentication/verifying-requests-from-slack) — written here from the
// documentation, not from the backend's own code, so a test of the backend can catch it.
import { createHmac } from 'node:crypto';

export interface ClickOptions {
  action: 'greenlight_approve' | 'greenlight_rollback';
  /** The button's value as the message carried it. */
  value: string;
  user: string;
  team: string;
  responseUrl: string;
  triggerId?: string;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function clickBody(options: ClickOptions): string {
  const payload = {
    type: 'block_actions',
    user: { id: options.user, team_id: options.team },
    team: { id: options.team, domain: 'acme' },
    api_app_id: 'A0GREENLIGHT',
    trigger_id: options.triggerId ?? `${Date.now()}.${Math.random().toString().slice(2, 10)}`,
    response_url: options.responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'greenlight_decision',
        action_id: options.action,
        value: options.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Signs `body` with `secret` at `timestampSeconds` (default now), as Slack does. */
export function signed(body: string, secret: string, timestampSeconds?: number): SignedRequest {
  const timestamp = String(timestampSeconds ?? Math.floor(Date.now() / 1000));
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${digest}`,
    },
  };
}
