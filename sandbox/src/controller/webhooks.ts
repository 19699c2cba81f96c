import { STATUS_CODES } from 'node:http';
import { parseGoDuration } from 'flagger-types';
import type { Canary, CanaryPhase, CanaryWebhook } from 'flagger-types';
import { canaryChecksum } from '@greenlight/core';

// Flagger's webhook call (pkg/controller/webhook.go): POST of
// `{name, namespace, phase, checksum, metadata}` as JSON; a status up to 202 passes, any
// other status fails with the response body as the reason, and so does a timeout (the
// webhook's `timeout`, 10 s by default or when shorter than two characters) or a refused
// connection. `retries` retries connection errors, 429 and 5xx answers (but 501), as
// go-retryablehttp v0.7 does; once they are spent, its error is all Flagger reports —
// "POST <url> giving up after N attempt(s)[: <cause>]" — and a 5xx answer's body is lost.

export const DEFAULT_WEBHOOK_TIMEOUT = '10s';

/** Flagger's CanaryWebhookPayload. */
export interface WebhookPayload {
  name: string;
  namespace: string;
  phase: CanaryPhase;
  checksum: string;
  metadata?: Record<string, string>;
}

export function webhookPayload(
  canary: Canary,
  phase: CanaryPhase,
  webhook: CanaryWebhook,
): WebhookPayload {
  const payload: WebhookPayload = {
    name: canary.metadata.name,
    namespace: canary.metadata.namespace ?? '',
    phase,
    // Flagger's own canaryChecksum of the status (trackedConfigs and lastAppliedSpec), as
    // core computes it, so the gate binds approvals here exactly as against a real Flagger.
    // lastAppliedSpec itself stays the sandbox's hash of the pod template (spec-hash.ts).
    checksum: canaryChecksum(canary.status),
  };
  if (webhook.metadata) payload.metadata = { ...webhook.metadata };
  return payload;
}

/** Resolves when the webhook passes; rejects with Flagger's reason when it fails. */
export async function callWebhook(
  canary: Canary,
  phase: CanaryPhase,
  webhook: CanaryWebhook,
): Promise<void> {
  const timeoutText =
    (webhook.timeout ?? '').length < 2 ? DEFAULT_WEBHOOK_TIMEOUT : (webhook.timeout as string);
  const timeoutMs = parseGoDuration(timeoutText);
  if (timeoutMs === undefined) throw new Error(`time: invalid duration "${timeoutText}"`);
  const body = JSON.stringify(webhookPayload(canary, phase, webhook));

  const attempts = 1 + Math.max(0, webhook.retries ?? 0);
  let failure: Error = new Error('no attempt made');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: Response;
    try {
      response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      failure = givingUp(
        webhook.url,
        attempt,
        `Post "${webhook.url}": ${reason(error, timeoutText)}`,
      );
      continue;
    }
    const text = await response.text();
    if (retryable(response.status)) {
      const status = `${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim();
      failure = givingUp(
        webhook.url,
        attempt,
        response.status === 429 ? undefined : `unexpected HTTP status ${status}`,
      );
      continue;
    }
    if (response.status > 202) throw new Error(text);
    return;
  }
  throw failure;
}

/** go-retryablehttp's baseRetryPolicy for an answer. */
function retryable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

function givingUp(url: string, attempts: number, cause?: string): Error {
  const message = `POST ${url} giving up after ${attempts} attempt(s)`;
  return new Error(cause === undefined ? message : `${message}: ${cause}`);
}

function reason(error: unknown, timeout: string): string {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `context deadline exceeded (Client.Timeout ${timeout} exceeded while awaiting headers)`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.message ?? cause?.code ?? (error as Error).message;
}
