import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from './workflow-files.ts';

// actionlint lints workflows, not action metadata, so action/action.yml is checked against
// GitHub's metadata syntax for a JavaScript action ("Metadata syntax for GitHub Actions":
// name, description, inputs.<id>.{description, required, default, deprecationMessage},
// outputs.<id>.description, runs.{using, main, pre, post}, branding), strictly.

const INPUT_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const BRANDING_COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
] as const;

const actionMetadata = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  author: z.string().optional(),
  branding: z.strictObject({ icon: z.string().min(1), color: z.enum(BRANDING_COLORS) }).optional(),
  inputs: z.record(
    z.string().regex(INPUT_ID),
    z.strictObject({
      description: z.string().min(1),
      required: z.boolean().optional(),
      default: z.string().optional(),
      deprecationMessage: z.string().optional(),
    }),
  ),
  outputs: z.record(z.string().regex(INPUT_ID), z.strictObject({ description: z.string().min(1) })),
  runs: z.strictObject({
    using: z.literal('node24'),
    main: z.string().min(1),
    pre: z.string().optional(),
    post: z.string().optional(),
    'pre-if': z.string().optional(),
    'post-if': z.string().optional(),
  }),
});

describe('action/action.yml', () => {
  const text = readFileSync(join(ROOT, 'action/action.yml'), 'utf8');
  const metadata = parse(text) as unknown;

  test('follows GitHub metadata syntax for a node24 JavaScript action', () => {
    const result = actionMetadata.safeParse(metadata);
    expect(
      result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    ).toEqual([]);
  });

  test('runs a bundle that is there', () => {
    const { runs } = actionMetadata.parse(metadata);
    expect(existsSync(join(ROOT, 'action', runs.main))).toBe(true);
  });

  // That it declares every input issue 4 names is action/test/action-yml.test.ts's check.
});
