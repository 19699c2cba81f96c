import { WebClient } from '@slack/web-api';
import type { SlackMessage } from './message.ts';

// The Slack Web API calls Greenlight makes, through @slack/web-api: the bot token stays in
// the WebClient (sent as `Authorization: Bearer`), never in a URL or a log line.

export class SlackClient {
  readonly #web: WebClient;

  constructor(options: { botToken: string; apiUrl?: string }) {
    this.#web = new WebClient(options.botToken, {
      ...(options.apiUrl ? { slackApiUrl: withSlash(options.apiUrl) } : {}),
      // A rate-limited call is the next round's job, not a wait that holds this one.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2000 },
    });
  }

  /** Posts a new message; Slack's `ts` names it for every update. */
  async post(channel: string, message: SlackMessage): Promise<string> {
    const answer = await this.#web.chat.postMessage({ channel, ...message });
    if (!answer.ts) throw new Error('Slack answered chat.postMessage without a ts');
    return answer.ts;
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.#web.chat.update({ channel, ts, ...message });
  }

  /** The user IDs in a Slack user group (usergroups:read). */
  async groupMembers(usergroup: string): Promise<string[]> {
    const answer = await this.#web.usergroups.users.list({ usergroup });
    return answer.users ?? [];
  }
}

/**
 * Answers a click where only the clicker sees it, through the `response_url` of a signed
 * interaction (Slack's, so no token is sent with it).
 */
export async function replyEphemeral(responseUrl: string, text: string): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    signal: AbortSignal.timeout(5000),
  });
  await res.body?.cancel();
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
