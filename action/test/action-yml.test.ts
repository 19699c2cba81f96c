// action.yml and the code agree: every input the code reads is declared, with the default
// the code assumes when the input is empty, and the runtime is node24 on the bundle.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CANARY_OPTION_NAMES, CANARY_OPTIONS } from '@greenlight/core';

const actionYml = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const sources = ['inputs/inputs.ts', 'inputs/input-values.ts']
  .map((file) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8'))
  .join('\n');

test('runs the committed bundle on node24', () => {
  expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
});

test('declares every input the issue names, each with a description', () => {
  const named = [
    'command',
    'stack-file',
    'functions',
    'changed-only',
    'builder',
    'registry',
    'tags',
    'platforms',
    'target',
    'kubeconfig',
    'namespace',
    'provider',
    'strategy',
    'step-weight',
    'max-weight',
    'step-weights',
    'iterations',
    'interval',
    'threshold',
    'min-success-rate',
    'max-latency-ms',
    'approval',
    'gate-url',
    'owner',
    'wait-until',
    'timeout',
    'revision',
    'prometheus-url',
    'portal-url',
    'github-token',
  ];
  for (const name of named) expect(actionYml.inputs[name]?.description).toBeTruthy();
  expect(actionYml.inputs['github-token']?.default).toBe('${{ github.token }}');
});

// The canary inputs are read by their names in core's option list, not by literal.
const canaryInputs = CANARY_OPTION_NAMES.flatMap((name) => CANARY_OPTIONS[name].input ?? []);

test('declares exactly the inputs the code reads', () => {
  const read = new Set([...sources.matchAll(/(?:input|raw)\('([a-z-]+)'\)/g)].map((m) => m[1]));
  read.add('stack-file');
  for (const name of canaryInputs) read.add(name);
  expect([...read].sort()).toEqual(Object.keys(actionYml.inputs).sort());
});

test("declares core's canary options as inputs, no more and no fewer", () => {
  const declared = Object.keys(actionYml.inputs);
  // Every option the list gives an input is declared, and no input outside the list looks
  // like one (a canary option added to action.yml alone would be read by nobody).
  for (const name of canaryInputs) expect(declared).toContain(name);
  const optionLike = declared.filter((name) =>
    CANARY_OPTION_NAMES.some((option) => kebab(option) === name),
  );
  expect(optionLike.sort()).toEqual([...canaryInputs].sort());
  for (const option of CANARY_OPTION_NAMES) {
    const name = CANARY_OPTIONS[option].input;
    if (name === null) expect(declared).not.toContain(kebab(option));
  }
});

function kebab(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

test('declares exactly the outputs the action sets', () => {
  const set = ['report/outputs.ts', 'commands/plan.ts']
    .map((file) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8'))
    .flatMap((text) => [...text.matchAll(/setOutput\(\s*'([a-z-]+)'/g)].map((m) => m[1]));
  expect([...new Set(set)].sort()).toEqual(Object.keys(actionYml.outputs).sort());
  expect(Object.keys(actionYml.outputs).sort()).toEqual([
    'canaries',
    'comment-url',
    'images',
    'plan',
    'result',
    'revision',
  ]);
});
