import type { CanaryStatus } from 'flagger-types';

// The `checksum` Flagger sends in every webhook payload names the analysis it is running:
// canaryChecksum (pkg/controller/webhook.go, Flagger v1.44) hashes the Canary's
// `status.trackedConfigs` and `status.lastAppliedSpec` with ComputeHash (pkg/canary/spec.go):
// FNV-32a over go-spew's `%#v` dump of
//   struct { TrackedConfigs *map[string]string; LastAppliedSpec string }
// then SafeEncodeString (k8s.io/apimachinery/pkg/util/rand) of the decimal sum.
// An approval records this value so that it promotes only the pod template (and tracked
// ConfigMaps/Secrets) that was under analysis when the person approved (docs/design.md,
// "The approval protocol"). test/fixtures/checksum holds vectors printed by Go itself.

const SPEW_TYPE = '(struct { TrackedConfigs *map[string]string; LastAppliedSpec string })';
/** Kubernetes' SafeEncodeString alphabet: no vowels, no look-alike digits. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

type ChecksummedStatus = Pick<CanaryStatus, 'trackedConfigs' | 'lastAppliedSpec'>;

/** The checksum Flagger sends in webhook payloads while the Canary has this status. */
export function canaryChecksum(status: ChecksummedStatus | undefined): string {
  const sum = fnv32a(Buffer.from(spewDump(status), 'utf8'));
  return [...String(sum)]
    .map((digit) => ALPHANUMS[digit.charCodeAt(0) % ALPHANUMS.length])
    .join('');
}

function spewDump(status: ChecksummedStatus | undefined): string {
  return `${SPEW_TYPE}{TrackedConfigs:(*map[string]string)${spewMap(status?.trackedConfigs)} LastAppliedSpec:(string)${status?.lastAppliedSpec ?? ''}}`;
}

// A nil pointer prints `<nil>`; a map prints `map[k:v k:v]` with keys sorted as Go sorts
// strings (by bytes) and no quotes around keys or values.
function spewMap(map: Record<string, string> | undefined): string {
  if (map === undefined || map === null) return '<nil>';
  const keys = Object.keys(map).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `map[${keys.map((key) => `${key}:${map[key]}`).join(' ')}]`;
}

function fnv32a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}
