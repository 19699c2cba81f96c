// A line diff of two small texts (a manifest is tens of lines), in the unified format's
// markers: ' ' kept, '-' only in the cluster, '+' only in what Greenlight would apply.
// jsdiff's Myers diff is deterministic, so a PR comment does not flicker between pushes.
import { diffArrays } from 'diff';

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

export function lineDiff(before: string[], after: string[]): DiffLine[] {
  return diffArrays(before, after).flatMap((change) => {
    const op = change.added ? '+' : change.removed ? '-' : ' ';
    return change.value.map((text) => ({ op, text }) as DiffLine);
  });
}
