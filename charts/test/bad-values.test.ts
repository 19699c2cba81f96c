import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS } from './helm.ts';
import { template, type Rendered } from './render.ts';

// Each file under bad-values/<chart>/ is a values file a user could write, with a header that
// says who must refuse it — `schema` (values.schema.json) or `template` (a rule across several
// values, checked with `fail`) — and what the message must name.

interface BadValues {
  chart: string;
  file: string;
  by: 'schema' | 'template';
  names: string;
  release?: string;
}

function header(text: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1];
}

const cases: BadValues[] = ['chatbot', 'greenlight-gate'].flatMap((chart) =>
  readdirSync(join(CHARTS, 'test/bad-values', chart))
    .sort()
    .map((file) => {
      const text = readFileSync(join(CHARTS, 'test/bad-values', chart, file), 'utf8');
      const by = header(text, 'rejected by');
      const names = header(text, 'message names');
      if ((by !== 'schema' && by !== 'template') || !names) {
        throw new Error(
          `${chart}/${file}: needs "# rejected by: schema|template" and "# message names: ..."`,
        );
      }
      return { chart, file, by, names, release: header(text, 'release') };
    }),
);

const results = new Map<string, Rendered>();
beforeAll(async () => {
  const rendered = await Promise.all(
    cases.map((c) =>
      template(
        c.chart,
        {},
        { files: [`test/bad-values/${c.chart}/${c.file}`], release: c.release },
      ),
    ),
  );
  cases.forEach((c, i) => results.set(`${c.chart}/${c.file}`, rendered[i] as Rendered));
});

describe('values the charts refuse', () => {
  test.each(cases.map((c) => [`${c.chart}/${c.file}`, c] as const))(
    '%s is refused with a message naming the value',
    (key, c) => {
      const result = results.get(key) as Rendered;
      expect(result.ok).toBe(false);
      if (c.by === 'schema') {
        expect(result.error).toContain("values don't meet the specifications of the schema");
      } else {
        expect(result.error).toMatch(/execution error at \(/);
      }
      expect(result.error).toContain(c.names);
    },
  );

  test('at least ten bad values files per chart family are refused by the schema', () => {
    expect(
      cases.filter((c) => c.chart === 'chatbot' && c.by === 'schema').length,
    ).toBeGreaterThanOrEqual(10);
  });
});
