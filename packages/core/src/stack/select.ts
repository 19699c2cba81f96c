import { UserError } from '../errors.ts';
import { globMatcher } from './glob.ts';
import type { Stack, StackFunction } from './types.ts';

/**
 * The functions named by `patterns`, in stack order. A pattern is a function name or a glob
 * where `*` matches any run of characters (faas-cli's `--filter` uses the same kind of glob).
 * No patterns selects every function. A name or glob that matches nothing is an error, so a
 * typo in a workflow never silently ships nothing.
 */
export function selectFunctions(stack: Stack, patterns: readonly string[]): StackFunction[] {
  const all = Object.values(stack.functions);
  if (patterns.length === 0) return all;
  const known = all.map((fn) => fn.name);
  const matchers = patterns.map((pattern) => ({ pattern, test: globMatcher(pattern) }));
  const unmatched = matchers
    .filter((m) => !known.some((name) => m.test(name)))
    .map((m) => m.pattern);
  if (unmatched.length > 0) {
    const quoted = unmatched.map((p) => `"${p}"`).join(', ');
    throw new UserError(
      unmatched.length === 1 ? `no function matches ${quoted}` : `no functions match ${quoted}`,
      { file: stack.file, hint: `The stack's functions are: ${known.join(', ')}` },
    );
  }
  return all.filter((fn) => matchers.some((m) => m.test(fn.name)));
}
