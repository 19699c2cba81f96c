import { readFileSync } from 'node:fs';
import { canaryChecksum } from '../src/approval/checksum.ts';

// Vectors printed by Flagger's own hashing code in Go (fixtures/checksum/generate).
const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/checksum/vectors.json', import.meta.url), 'utf8'),
) as {
  status: { trackedConfigs?: Record<string, string>; lastAppliedSpec: string };
  checksum: string;
}[];

describe("Flagger's webhook checksum", () => {
  it.each(vectors.map((vector) => [JSON.stringify(vector.status), vector] as const))(
    'is the one Go computes for %s',
    (_name, { status, checksum }) => {
      expect(canaryChecksum(status)).toBe(checksum);
    },
  );

  it('tells an absent trackedConfigs from an empty one, as Go tells a nil pointer from an empty map', () => {
    expect(canaryChecksum({ lastAppliedSpec: 'abc' })).not.toBe(
      canaryChecksum({ lastAppliedSpec: 'abc', trackedConfigs: {} }),
    );
  });

  it('changes when the pod template (lastAppliedSpec) or a tracked Secret changes', () => {
    const base = canaryChecksum({ lastAppliedSpec: 'h1', trackedConfigs: { 'secret/s': 'a' } });
    expect(canaryChecksum({ lastAppliedSpec: 'h2', trackedConfigs: { 'secret/s': 'a' } })).not.toBe(
      base,
    );
    expect(canaryChecksum({ lastAppliedSpec: 'h1', trackedConfigs: { 'secret/s': 'b' } })).not.toBe(
      base,
    );
  });
});
