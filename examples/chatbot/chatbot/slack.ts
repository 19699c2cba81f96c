import { createHmac, timingSafeEqual } from 'node:crypto';

// Slack signs every request it sends (api.slack.com/authentication/verifying-requests-from-slack):
//   X-Slack-Request-Timestamp: <unix seconds>
//   X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed by the signing secret>
// Slack advises refusing timestamps more than five minutes away, so a captured request cannot
// be replayed later.
export const MAX_AGE_SECONDS = 5 * 60;

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** The `X-Slack-Signature` value Slack would send for `body` at `timestamp`. */
export function signSlackRequest(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function verifySlackSignature(
  secret: string,
  request: SignedRequest,
  nowSeconds: number,
): Verdict {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature) {
    return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  }
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_AGE_SECONDS) {
    return { ok: false, reason: 'stale or invalid X-Slack-Request-Timestamp' };
  }
  const expected = Buffer.from(signSlackRequest(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}
