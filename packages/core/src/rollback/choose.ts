import type { Canary } from 'flagger-types';
import { UserError } from '../errors.ts';
import { readPromotedHistory, type PromotedRevision } from './history.ts';

// Which revision a rollback brings back (docs/design.md, "Rollback after promotion"): the
// newest recorded promotion other than what the primary runs, or the one `--to` names.
// Pure, so the CLI, the action, Backstage and the view all choose the same.

/** The revision a rollback of `canary` would bring back, if one is recorded. */
export function previousPromoted(
  canary: Canary | undefined,
  promoted: string | undefined,
): PromotedRevision | undefined {
  return readPromotedHistory(canary)
    .reverse()
    .find((entry) => entry.revision !== promoted);
}

/** The entry to roll back to, or the refusal naming why there is none. */
export function rollbackTarget(
  canary: Canary,
  promoted: string | undefined,
  to: string | undefined,
): PromotedRevision | UserError {
  const id = `${canary.metadata?.namespace}/${canary.metadata?.name}`;
  const history = readPromotedHistory(canary);
  const wanted = to?.trim();
  if (!wanted) {
    const previous = previousPromoted(canary, promoted);
    if (previous) return previous;
    return new UserError(
      `no revision promoted before ${promoted ?? 'the current one'} is recorded on Canary ${id}, so there is nothing to roll back to`,
      {
        field: 'to',
        hint: 'Greenlight records the primary’s revision each time it deploys a new one; redeploy the commit you want instead (run the deploy on it)',
      },
    );
  }
  if (wanted === promoted) {
    return new UserError(`the primary of Canary ${id} runs revision ${wanted} already`, {
      field: 'to',
      hint: 'Name an earlier revision, or leave it out to roll back to the one promoted before',
    });
  }
  const entry = [...history].reverse().find((e) => e.revision === wanted);
  if (entry) return entry;
  const known = history.map((e) => e.revision).filter((r) => r !== promoted);
  return new UserError(`revision ${wanted} was never recorded as promoted on Canary ${id}`, {
    field: 'to',
    hint:
      known.length > 0
        ? `Roll back to one that was: ${[...new Set(known)].reverse().join(', ')}`
        : 'No earlier revision is recorded; redeploy the commit you want instead',
  });
}
