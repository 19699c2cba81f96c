// A line diff of two small texts (a manifest is tens of lines), in the unified format's
// markers: ' ' kept, '-' only in the cluster, '+' only in what Greenlight would apply.
// Longest common subsequence by dynamic programming: quadratic, which is nothing at this
// size, and the same answer every time (a PR comment must not flicker between pushes).

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

export function lineDiff(before: string[], after: string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i]![j] =
        before[i] === after[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      lines.push({ op: ' ', text: before[i++]! });
      j++;
    } else if (i < n && (j === m || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      // Removals before additions, as unified diffs show a changed line.
      lines.push({ op: '-', text: before[i++]! });
    } else {
      lines.push({ op: '+', text: after[j++]! });
    }
  }
  return lines;
}
