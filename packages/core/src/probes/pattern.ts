import { RE2JS } from 're2js';

// `expect.matches` comes from a probes file or webhook metadata that any Canary writer sets,
// and the shared prober runs it against a bot's reply: RE2 (re2js) matches in linear time, so
// no pattern can stall the prober's event loop the way `^(a|a)+$` stalls a backtracking engine.
// Its syntax is Go's regexp: no backreferences and no lookaround (docs/probes.md).

/** Whether `text` has a match of the RE2 pattern `source` anywhere in it. */
export function patternMatches(source: string, text: string): boolean {
  return RE2JS.compile(source).test(text);
}

/** Why `source` is no RE2 pattern, or undefined when it compiles. */
export function patternError(source: string): string | undefined {
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error) {
    // re2js: "error parsing regexp: missing closing ): `(a`"; the prefix says nothing.
    return (error as Error).message.replace(/^error parsing regexp: /, '');
  }
}

/** `/source/` on one line, as a reason quotes it. */
export function showPattern(source: string): string {
  return `/${source.replace(/\//g, '\\/').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}/`;
}
