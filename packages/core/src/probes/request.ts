import { createHmac, randomBytes } from 'node:crypto';
import type { ProbeRequest } from './types.ts';

// One probe turn as the bot's real callers send it (docs/probes.md): a web chat posts JSON
// `{message, user?}`; Slack posts a slash command form-encoded and an Events API callback as
// JSON, both signed (api.slack.com/authentication/verifying-requests-from-slack). Slack's
// identifiers are placeholders that say they come from the probe; a bot that answers by
// `response_url` gets one that leads nowhere.

/** Placeholders for the Slack workspace, channel and user a probe request comes from. */
export const PROBE_SLACK = {
  teamId: 'T0PROBE',
  teamDomain: 'greenlight-probe',
  appId: 'A0PROBE',
  channelId: 'C0PROBE',
  channelName: 'greenlight-probe',
  userId: 'U0PROBE',
  userName: 'greenlight-probe',
} as const;

export interface HttpRequest {
  headers: Record<string, string>;
  body: string;
  /** The request for a log line: what the bot was asked, never a signature or secret. */
  shown: string;
}

/** The body and headers of one turn; Slack turns are signed when a secret is given. */
export function buildProbeRequest(
  request: ProbeRequest,
  options: { signingSecret?: string; nowMs: number },
): HttpRequest {
  const seconds = Math.floor(options.nowMs / 1000);
  switch (request.kind) {
    case 'webchat': {
      const body = JSON.stringify({
        message: request.message,
        ...(request.user !== undefined && { user: request.user }),
      });
      return { headers: { 'content-type': 'application/json' }, body, shown: `webchat ${body}` };
    }
    case 'slack-command': {
      const body = slashCommandForm(request, seconds).toString();
      const shown = `slackCommand ${request.command} ${JSON.stringify(request.text)}`;
      return signed('application/x-www-form-urlencoded', body, shown, seconds, options);
    }
    case 'slack-event': {
      const body = JSON.stringify(eventCallback(request.event, seconds));
      const shown = `slackEvent ${JSON.stringify(request.event)}`;
      return signed('application/json', body, shown, seconds, options);
    }
  }
}

/** Slack's `X-Slack-Signature` for `body` sent at `timestamp` (Unix seconds). */
export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function signed(
  contentType: string,
  body: string,
  shown: string,
  seconds: number,
  options: { signingSecret?: string },
): HttpRequest {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (options.signingSecret !== undefined) {
    const timestamp = String(seconds);
    headers['x-slack-request-timestamp'] = timestamp;
    headers['x-slack-signature'] = slackSignature(options.signingSecret, timestamp, body);
  }
  return { headers, body, shown };
}

/** The fields Slack posts for a slash command (api.slack.com/interactivity/slash-commands). */
function slashCommandForm(
  request: Extract<ProbeRequest, { kind: 'slack-command' }>,
  seconds: number,
): URLSearchParams {
  return new URLSearchParams({
    team_id: PROBE_SLACK.teamId,
    team_domain: PROBE_SLACK.teamDomain,
    channel_id: PROBE_SLACK.channelId,
    channel_name: PROBE_SLACK.channelName,
    user_id: PROBE_SLACK.userId,
    user_name: request.userName ?? PROBE_SLACK.userName,
    command: request.command,
    text: request.text,
    api_app_id: PROBE_SLACK.appId,
    response_url: `https://hooks.slack.com/commands/${PROBE_SLACK.teamId}/0/greenlight-probe`,
    trigger_id: `${seconds}.0.greenlight-probe`,
  });
}

/** An Events API `event_callback` (api.slack.com/apis/events-api#callback-field) around `event`. */
function eventCallback(event: Record<string, unknown>, seconds: number) {
  const ts = `${seconds}.${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0').slice(0, 6)}`;
  return {
    team_id: PROBE_SLACK.teamId,
    api_app_id: PROBE_SLACK.appId,
    event: { channel: PROBE_SLACK.channelId, ts, event_ts: ts, ...event },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: seconds,
  };
}
