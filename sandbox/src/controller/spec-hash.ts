import { createHash } from 'node:crypto';
import { canonicalJson } from '@greenlight/core';

// Flagger stores a hash of the target's pod template in `status.lastAppliedSpec` and
// compares it to spot a new revision (pkg/canary/spec.go hasSpecChanged). Its hash is
// FNV-32a over Go's spew dump of the whole PodTemplateSpec, Go zero values included, which
// TypeScript does not reproduce (docs/design.md, "Flagger facts"), so the sandbox hashes a
// canonical JSON of the same template instead. The values differ from a real Flagger's; the
// comparisons, and so the behaviour, are the same. (The webhook checksum over this value is
// Flagger's exactly: core's canaryChecksum.)

/** Kubernetes' SafeEncodeString alphabet: no vowels, no look-alike digits. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function computeHash(value: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(value)).digest();
  // Ten characters, the length Flagger's hashes usually have.
  return [...digest.subarray(0, 10)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/**
 * hasSpecChanged: a first run (no lastAppliedSpec) or a template unlike the last applied
 * one — except one equal to the last promoted, which is a manual rollback Flagger lets be.
 */
export function hasSpecChanged(
  status: { lastAppliedSpec?: string; lastPromotedSpec?: string } | undefined,
  templateHash: string,
): boolean {
  if (!status?.lastAppliedSpec) return true;
  if (status.lastPromotedSpec === templateHash) return false;
  return status.lastAppliedSpec !== templateHash;
}
