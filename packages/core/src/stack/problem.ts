import type { Document, LineCounter } from 'yaml';
import { lineOf, type YamlPath } from './locate.ts';

/** One thing wrong with a stack file, before it has a line number. */
export interface Problem {
  /** Where in the document, e.g. ['functions', 'slack-bot', 'image']. */
  path: YamlPath;
  message: string;
  /** What to do about it, one sentence. */
  hint: string;
}

/**
 * `functions.bot.image`; a list index is bracketed, `turns[1]`, and so is a key that has dots of
 * its own: `labels["app.io/x"]`.
 */
export function fieldOf(path: YamlPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const key = String(segment);
      return key.includes('.') ? `[${JSON.stringify(key)}]` : i === 0 ? key : `.${key}`;
    })
    .join('');
}

export const ADD_A_FUNCTION =
  'Add at least one function under functions: (lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest)';

/** The problem on the earliest line, with its line: the one a person fixes first. */
export function firstByLine(
  problems: Problem[],
  doc: Document,
  lineCounter: LineCounter,
): (Problem & { line: number }) | undefined {
  return problems
    .map((problem) => ({ ...problem, line: lineOf(doc, lineCounter, problem.path) }))
    .sort((a, b) => a.line - b.line)[0];
}
