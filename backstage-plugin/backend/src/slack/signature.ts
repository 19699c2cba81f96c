import { createHmac, timingSafeEqual } from 'node:crypto';

// Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack):
// `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<raw body>">`
// keyed with the app's signing secret. A request older or newer than five minutes is
// refused, so a captured one cannot be sent again later; within the window the caller
// refuses a signature it has seen (message-store.ts).

export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

// Said to whoever sent the request: nothing about the secret, only where to look.
const FIX_SECRET = "set greenlight.slack.signingSecret to the Slack app's Signing Secret";

export type SignatureCheck =
  { ok: true; signature: string; timestamp: number } | { ok: false; why: string };

export function checkSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  nowSeconds: number,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) {
    return {
      ok: false,
      why: `the request is not signed by Slack (no X-Slack-Signature): send clicks through the Slack app whose interactivity URL this is`,
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      why: `the request is not signed by Slack (a malformed X-Slack-Request-Timestamp): send clicks through the Slack app whose interactivity URL this is`,
    };
  }
  const at = Number(timestamp);
  if (Math.abs(nowSeconds - at) > SIGNATURE_WINDOW_SECONDS) {
    return {
      ok: false,
      why: "the request was signed more than five minutes from now: click again, and if that fails too check this server's clock (NTP)",
    };
  }
  const expected = Buffer.from(`v0=${sign(secret, timestamp, rawBody)}`);
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length says nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      why: `the request is not signed by Slack (a wrong signature): ${FIX_SECRET}`,
    };
  }
  return { ok: true, signature, timestamp: at };
}

/** The hex HMAC of a request; tests sign their clicks with it as Slack would. */
export function sign(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}
