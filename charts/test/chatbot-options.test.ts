// The chatbot chart's values are core's canary options (CANARY_OPTIONS' `value` column): each
// option the list gives a value is declared in values.schema.json and explained in
// values.yaml, and no value under the option sections is one core does not know.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { CANARY_OPTION_NAMES, CANARY_OPTIONS } from '@greenlight/core';

interface Schema {
  properties?: Record<string, Schema>;
}

const chart = new URL('../chatbot/', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('values.schema.json', chart), 'utf8')) as Schema;
const valuesText = readFileSync(new URL('values.yaml', chart), 'utf8');
const values = parse(valuesText) as Record<string, unknown>;

const optionValues = CANARY_OPTION_NAMES.flatMap((name) => CANARY_OPTIONS[name].value ?? []);
// The chart's own values, about the function rather than its canary.
const CHART_VALUES = [
  'global',
  'name',
  'image',
  'revision',
  'replicas',
  'openfaas',
  'env',
  'resources',
  'podAnnotations',
  'probePath',
  'securityContext',
  'autoscaling',
];

// Under an option's section, the chart's own values: what a function's probes are, which the
// CLI and the action read from the probes file rather than from options.
const CHART_VALUES_UNDER_OPTIONS = [
  'probes.path',
  'probes.signingSecret.secret',
  'probes.signingSecret.key',
  'probes.conversations',
];

function schemaAt(path: string): Schema | undefined {
  return path.split('.').reduce<Schema | undefined>((s, key) => s?.properties?.[key], schema);
}

/** Every leaf key path of the schema under `root`, dotted. */
function leaves(node: Schema, prefix: string): string[] {
  const props = node.properties;
  if (!props) return [prefix];
  return Object.entries(props).flatMap(([key, child]) => leaves(child, `${prefix}.${key}`));
}

describe("the chatbot chart's values and core's canary options", () => {
  test.each(optionValues)('declares %s in values.schema.json', (path) => {
    expect(schemaAt(path)).toBeDefined();
  });

  test.each(optionValues)('sets or explains %s in values.yaml', (path) => {
    const keys = path.split('.');
    const parent = keys
      .slice(0, -1)
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        values,
      ) as Record<string, unknown> | undefined;
    const leaf = keys[keys.length - 1] as string;
    // Strategy-specific ones are commented out, so that the other strategy's are not set.
    const set = parent !== undefined && leaf in parent;
    const explained = new RegExp(`^\\s*#\\s*${leaf}:`, 'm').test(valuesText);
    expect(set || explained).toBe(true);
  });

  test('has no value beside the canary options but its own', () => {
    const roots = new Set(optionValues.map((path) => path.split('.')[0]));
    const top = Object.keys(schema.properties ?? {});
    expect(top.filter((key) => !roots.has(key)).sort()).toEqual([...CHART_VALUES].sort());
    const underOptions = [...roots].flatMap((root) =>
      leaves(schema.properties?.[root as string] as Schema, root as string),
    );
    expect(underOptions.sort()).toEqual([...optionValues, ...CHART_VALUES_UNDER_OPTIONS].sort());
  });
});
