// No module of the shipped packages or the sandbox reaches itself through its imports, type-only
// imports included (`npm run lint:cycles`, dependency-cruiser's no-circular rule). A cycle
// means two files that can only be read together; the seam between them goes in a third.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; cycle?: { name: string }[] }[] };
}

function cruise(extra: string[]): Cruise {
  const run = spawnSync(
    'npm',
    ['run', '--silent', 'lint:cycles', '--', '--output-type', 'json', ...extra],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(run.stdout) as Cruise;
}

function cycles(result: Cruise): string[] {
  return result.summary.violations
    .filter((v) => v.rule.name === 'no-circular')
    .map((v) => [v.from, ...(v.cycle ?? []).map((step) => step.name)].join(' → '));
}

test('the shipped packages and the sandbox have no import cycle', () => {
  expect(cycles(cruise([]))).toEqual([]);
}, 120_000);

test('the check finds a cycle made only of a type import', () => {
  const found = cycles(cruise(['test/architecture/fixtures/type-cycle']));
  expect(found).toContain(
    'test/architecture/fixtures/type-cycle/picker.ts → test/architecture/fixtures/type-cycle/reader.ts → test/architecture/fixtures/type-cycle/picker.ts',
  );
}, 120_000);
