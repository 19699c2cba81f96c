// The Canaries promote, abort and status act on: those in the namespace whose names match
// the `functions` input (names or globs, all when empty). These commands need no stack
// file, so a promote job in a protected environment needs no checkout.
import type { Canary } from 'flagger-types';
import { globMatcher, UserError } from '@greenlight/core';

export function selectCanaries(
  canaries: Canary[],
  patterns: string[],
  namespace: string,
): Canary[] {
  const matchers = patterns.map(globMatcher);
  const selected = canaries.filter(
    (canary) => matchers.length === 0 || matchers.some((m) => m(canary.metadata.name ?? '')),
  );
  if (selected.length === 0) {
    const names = canaries.map((c) => c.metadata.name).join(', ') || 'none';
    throw new UserError(
      patterns.length === 0
        ? `there are no Canaries in namespace ${namespace}`
        : `no Canary in namespace ${namespace} matches ${patterns.map((p) => `"${p}"`).join(', ')}`,
      {
        field: patterns.length === 0 ? 'namespace' : 'functions',
        hint: `Canaries there: ${names}. Deploy first, or fix functions / namespace`,
      },
    );
  }
  return selected;
}
