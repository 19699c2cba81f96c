import * as z from 'zod';
import { closest } from './did-you-mean.ts';
import type { YamlPath } from './locate.ts';
import { fieldOf, type Problem } from './problem.ts';

/** Reads the value at a path of the parsed data and the YAML source text of a scalar there. */
export interface Lookup {
  value(path: YamlPath): unknown;
  source(path: YamlPath): string | undefined;
}

/** A lookup in `data`, with the source text of scalars where the document keeps it. */
export function lookupIn(
  data: unknown,
  source: (path: YamlPath) => string | undefined = () => undefined,
): Lookup {
  return { value: (path) => valueAt(data, path), source };
}

/** The value at `path` of data parsed from YAML or JSON, undefined where there is none. */
function valueAt(data: unknown, path: YamlPath): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * What one kind of file (stack.yml, probes.yml) says where the generic wording does not fit.
 * The translation from zod's issues is shared; each file brings its schema and its hints.
 */
export interface IssueWords {
  /** The schema of the whole document, for the keys allowed where an unknown one was found. */
  schema: z.ZodType;
  /** Added to the list of keys allowed at the top level. */
  topLevelNote?: string;
  /** How to add a required field that is missing, when "Add <key>: under <parent>" is not enough. */
  missingHint(path: YamlPath): string | undefined;
  /** A value of the wrong type (null for an empty one) that this file words itself. */
  wrongType?(path: YamlPath, value: unknown, source: string): Partial<Problem> | undefined;
  /** The hint when nothing better is known. */
  reference: string;
}

/** Turns zod's issues into problems a person can act on, in terms of the YAML they wrote. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  lookup: Lookup,
  words: IssueWords,
): Problem[] {
  const problems = issues.flatMap((issue) => fromIssue(issue, lookup, words));
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

function fromIssue(issue: z.core.$ZodIssue, lookup: Lookup, words: IssueWords): Candidate[] {
  const path = issue.path as YamlPath;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(words.schema, path);
    return issue.keys.map((key) => {
      const suggested = closest(key, allowed);
      return {
        path: [...path, key],
        message: `unknown key "${key}"`,
        hint: suggested
          ? `Did you mean "${suggested}"?`
          : `Remove it; the keys allowed here are ${allowed.join(', ')}${path.length === 0 && words.topLevelNote ? ` ${words.topLevelNote}` : ''}`,
        suggested,
      };
    });
  }
  if (issue.code === 'invalid_type') return [wrongType(path, issue.expected, lookup, words)];
  return [{ path, message: issue.message, hint: words.reference }];
}

function wrongType(path: YamlPath, expected: string, lookup: Lookup, words: IssueWords): Candidate {
  const value = lookup.value(path);
  const last = path.at(-1);
  // A list item is named with its list: `turns[0] must be a mapping`.
  const key = typeof last === 'number' ? `${String(path.at(-2))}[${last}]` : String(last);
  if (value === undefined) {
    return {
      path,
      message: `${key} is missing`,
      hint: words.missingHint(path) ?? `Add ${key}: under ${fieldOf(path.slice(0, -1))}`,
      missing: true,
    };
  }
  const source = lookup.source(path) ?? String(value);
  const message = `${key} must be ${EXPECTED[expected] ?? expected}, not ${describe(value)}`;
  const own = words.wrongType?.(path, value, source);
  if (own?.hint) return { path, message: own.message ?? message, hint: own.hint };
  if (expected === 'boolean' && typeof value === 'string') {
    return { path, message, hint: `Write ${key}: true or ${key}: false, without quotes` };
  }
  if (expected === 'array' && typeof value === 'string') {
    return { path, message, hint: `Write it as a list: ${key}: [${source}]` };
  }
  if (expected === 'string' && isPlainScalar(value)) {
    return { path, message, hint: `Quote it: ${key}: "${source}"` };
  }
  if ((expected === 'record' || expected === 'object') && typeof last === 'number') {
    return { path, message, hint: `Write the item as "name: value" lines after its "- "` };
  }
  if (expected === 'record' || expected === 'object') {
    return { path, message, hint: `Write ${key}: as "name: value" lines indented under it` };
  }
  return { path, message, hint: `Change ${key} to ${EXPECTED[expected] ?? expected}` };
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  record: 'a mapping',
  object: 'a mapping',
};

/** The keys the object at `path` allows (record keys and list indexes step through), for hints. */
export function allowedKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = unwrap(root);
  for (const segment of path) {
    if (schema instanceof z.ZodObject) schema = schema.shape[String(segment)] as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
    if (!schema) return [];
    schema = unwrap(schema);
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

// Optional and defaulted fields, and values read through a preprocess step, hold their shape inside.
function unwrap(schema: z.ZodType): z.ZodType {
  for (;;) {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) {
      schema = schema.unwrap() as z.ZodType;
    } else if (schema instanceof z.ZodPipe) schema = schema.out as z.ZodType;
    else return schema;
  }
}

export function isPlainScalar(value: unknown): value is number | boolean | bigint {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
}

/** How a value reads in an error: `the string "x"`, `a mapping`, `empty`. */
export function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return `the number ${String(value)}`;
}
