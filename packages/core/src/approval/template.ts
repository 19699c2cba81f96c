import { createHash } from 'node:crypto';
import type { V1Deployment } from '@kubernetes/client-node';

// Flagger's Promote copies the target Deployment's pod template *as it is at that moment*
// to the primary, after its confirm-promotion webhook passed; its own checksum names the
// template it analysed, not the one it will copy. An approval therefore also records the
// template the person approved, hashed by Greenlight (Flagger's Go hash of it cannot be
// reproduced: docs/design.md, "Flagger facts"), and the gate compares it with the live
// target before it answers 200.

/** `sha256:<hex>` of the target's pod template (canonical JSON: keys sorted). */
export function templateHash(deployment: V1Deployment | undefined): string | undefined {
  const template = deployment?.spec?.template;
  if (!template) return undefined;
  return `sha256:${createHash('sha256').update(canonicalJson(template)).digest('hex')}`;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
