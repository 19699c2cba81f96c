import { z } from 'zod';

// The JSON body Flagger POSTs to every webhook (fluxcd/flagger v1.44
// pkg/apis/flagger/v1beta1/canary.go, CanaryWebhookPayload):
// `{name, namespace, phase, checksum, metadata?}`, metadata being map[string]string.
// The gate is reachable inside the cluster, so the body is untrusted input: every field is
// checked and bounded before it is used to look anything up.

// Canary names must be DNS-1123 labels in practice: Flagger derives Services
// `<name>-primary` / `<name>-canary` from them, and namespaces are labels by definition.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_HINT = 'a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)';

/** "is missing" for an absent field, "must be a string" for another type. */
const aString = () =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') });

const label = aString()
  .max(63, { error: `must be ${LABEL_HINT}` })
  .regex(DNS1123_LABEL, { error: `must be ${LABEL_HINT}` });

const MAX_METADATA_ENTRIES = 64;

/**
 * The longest metadata value a webhook may carry, in characters. probes.yml refuses a probe
 * longer than this (MAX_PROBE_METADATA_LENGTH is this), so whatever render writes the
 * prober's payload parse takes; even with every character JSON-escaped (6 bytes at most)
 * one such value stays inside the servers' 64 KiB body limit.
 */
export const MAX_WEBHOOK_METADATA_VALUE_LENGTH = 4096;

export const webhookPayloadSchema = z.object({
  name: label,
  namespace: label,
  phase: aString().max(32, { error: 'must be at most 32 characters' }),
  checksum: aString().max(256, { error: 'must be at most 256 characters' }),
  metadata: z
    .record(
      z.string().max(253, { error: 'keys must be at most 253 characters' }),
      z.string({ error: 'values must be strings' }).max(MAX_WEBHOOK_METADATA_VALUE_LENGTH, {
        error: `values must be at most ${MAX_WEBHOOK_METADATA_VALUE_LENGTH} characters`,
      }),
      { error: 'must be an object of strings' },
    )
    .refine((entries) => Object.keys(entries).length <= MAX_METADATA_ENTRIES, {
      error: `must have at most ${MAX_METADATA_ENTRIES} entries`,
    })
    .optional(),
});

/** Flagger's webhook payload, validated. */
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export type PayloadResult = { ok: true; payload: WebhookPayload } | { ok: false; reason: string };

/** Validates a webhook body; on failure says which field is wrong and how, in one sentence. */
export function parseWebhookPayload(body: unknown): PayloadResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      reason:
        "The webhook payload must be Flagger's JSON object {name, namespace, phase, checksum}.",
    };
  }
  const parsed = webhookPayloadSchema.safeParse(body);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'payload';
  return {
    ok: false,
    reason: `The webhook payload field "${field}" ${issue?.message ?? 'is invalid'}.`,
  };
}
