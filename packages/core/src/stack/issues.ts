import type * as z from 'zod';
import { closest } from './did-you-mean.ts';
import type { YamlPath } from './locate.ts';
import { ADD_A_FUNCTION, fieldOf, type Problem } from './problem.ts';
import { allowedKeysAt } from './schema.ts';

/** Reads the value at a path of the parsed data and the YAML source text of a scalar there. */
export interface Lookup {
  value(path: YamlPath): unknown;
  source(path: YamlPath): string | undefined;
}

const EXAMPLE_FUNCTION =
  'lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest';

// Hints for required fields, keyed by the last path segment (function fields) or full path.
const MISSING: Record<string, string> = {
  provider:
    'Add "provider:" with "name: openfaas" (and optionally "gateway: http://127.0.0.1:8080")',
  'provider.name': 'Add "name: openfaas" under provider:',
  functions: ADD_A_FUNCTION,
  lang: 'Set lang: to the build template, e.g. "dockerfile" for a folder with its own Dockerfile',
  handler:
    "Set handler: to the folder with the function's source, relative to the stack file, e.g. ./slack-bot",
  image: 'Set image: to the reference to build and push, e.g. ghcr.io/acme/slack-bot:latest',
  name: 'Add name: to the template entry',
};

/** Turns zod's issues into problems a person can act on, in terms of the YAML they wrote. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], lookup: Lookup): Problem[] {
  const problems = issues.flatMap((issue) => fromIssue(issue, lookup));
  // `function:` is both an unknown key and a missing `functions`; keep only the typo.
  const typos = new Set(
    problems
      .filter((p) => p.suggested !== undefined)
      .map((p) => fieldOf([...p.path.slice(0, -1), p.suggested!])),
  );
  return problems
    .filter((p) => !(p.missing && typos.has(fieldOf(p.path))))
    .map(({ path, message, hint }) => ({ path, message, hint }));
}

interface Candidate extends Problem {
  missing?: boolean;
  suggested?: string;
}

function fromIssue(issue: z.core.$ZodIssue, lookup: Lookup): Candidate[] {
  const path = issue.path as YamlPath;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(path);
    return issue.keys.map((key) => {
      const suggested = closest(key, allowed);
      return {
        path: [...path, key],
        message: `unknown key "${key}"`,
        hint: suggested
          ? `Did you mean "${suggested}"?`
          : `Remove it; the keys allowed here are ${allowed.join(', ')}${path.length === 0 ? ' (or x-<name> for your own, e.g. YAML anchors)' : ''}`,
        suggested,
      };
    });
  }
  if (issue.code === 'invalid_type') return [wrongType(path, issue.expected, lookup)];
  return [
    { path, message: issue.message, hint: 'See the OpenFaaS stack.yml reference for this field' },
  ];
}

function wrongType(path: YamlPath, expected: string, lookup: Lookup): Candidate {
  const value = lookup.value(path);
  const key = String(path.at(-1));
  const parent = path.at(-2);
  if (value === undefined) {
    return {
      path,
      message: `${key} is missing`,
      hint:
        MISSING[fieldOf(path)] ?? MISSING[key] ?? `Add ${key}: under ${fieldOf(path.slice(0, -1))}`,
      missing: true,
    };
  }
  if (value === null && fieldOf(path) === 'functions') {
    return { path, message: 'functions is empty', hint: ADD_A_FUNCTION, missing: true };
  }
  if (value === null && parent === 'functions') {
    return {
      path,
      message: `function "${key}" has no settings`,
      hint: `Give it ${EXAMPLE_FUNCTION}`,
    };
  }
  const source = lookup.source(path) ?? String(value);
  const message = `${key} must be ${EXPECTED[expected] ?? expected}, not ${describe(value)}`;
  if ((parent === 'labels' || parent === 'annotations') && isPlainScalar(value)) {
    return {
      path,
      message,
      hint: `Quote it: ${key}: "${source}" (Kubernetes ${String(parent).slice(0, -1)} values are strings)`,
    };
  }
  if (expected === 'boolean' && typeof value === 'string') {
    return { path, message, hint: `Write ${key}: true or ${key}: false, without quotes` };
  }
  if (expected === 'array' && typeof value === 'string') {
    return { path, message, hint: `Write it as a list: ${key}: [${source}]` };
  }
  if (expected === 'string' && isPlainScalar(value)) {
    return { path, message, hint: `Quote it: ${key}: "${source}"` };
  }
  if (expected === 'record' || expected === 'object') {
    return { path, message, hint: `Write ${key}: as "name: value" lines indented under it` };
  }
  return { path, message, hint: `Change ${key} to ${EXPECTED[expected] ?? expected}` };
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  record: 'a mapping',
  object: 'a mapping',
};

function isPlainScalar(value: unknown): value is number | boolean | bigint {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return `the number ${String(value)}`;
}
