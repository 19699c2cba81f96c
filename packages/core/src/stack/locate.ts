import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type YamlPath = readonly PropertyKey[];

/**
 * The 1-based line of the deepest node on `path` that exists: a mapping entry's key line (where
 * a reader looks for `image:`), a list item's own line. A missing entry reports its parent's key,
 * e.g. a function without `image` reports the line of `slack-bot:`.
 */
export function lineOf(doc: Document, lineCounter: LineCounter, path: YamlPath): number {
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  let node: unknown = doc.contents;
  let line = hasRange(node) ? lineAt(node.range[0]) : 1;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      if (hasRange(pair.key)) line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!hasRange(item)) break;
      line = lineAt(item.range[0]);
      node = item;
    } else break;
  }
  return line;
}

/**
 * The path of the deepest scalar entry written on 1-based `line`, e.g. a `${VAR}` there:
 * ['functions', 'bot', 'annotations', 'x']. Empty when the line holds no entry.
 */
export function pathAtLine(doc: Document, lineCounter: LineCounter, line: number): PropertyKey[] {
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const covers = (node: unknown) =>
    hasRange(node) && lineAt(node.range[0]) <= line && line <= lineAt(node.range[1]);
  const path: PropertyKey[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((item) =>
        hasRange(item.key) && lineAt(item.key.range[0]) === line ? true : covers(item.value),
      );
      if (!pair) return path;
      path.push(keyText(pair.key) ?? '');
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(covers);
      if (index === -1) return path;
      path.push(index);
      node = node.items[index];
    } else return path;
  }
}

/** The YAML node at `path`, if there is one. */
export function nodeAt(doc: Document, path: YamlPath): Node | undefined {
  const node: unknown = doc.getIn(path as PropertyKey[], true);
  return isScalar(node) || isMap(node) || isSeq(node) ? (node as Node) : undefined;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as Node).range);
}

/** The YAML source text of the scalar at `path`, as written (`1.10`, not 1.1). */
export function sourceAt(doc: Document, path: YamlPath): string | undefined {
  const node = nodeAt(doc, path) as { source?: unknown } | undefined;
  return typeof node?.source === 'string' ? node.source : undefined;
}
