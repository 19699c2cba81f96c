import type { YamlPath } from './locate.ts';

/** One thing wrong with a stack file, before it has a line number. */
export interface Problem {
  /** Where in the document, e.g. ['functions', 'slack-bot', 'image']. */
  path: YamlPath;
  message: string;
  /** What to do about it, one sentence. */
  hint: string;
}

/** `functions.bot.image`; a key that has dots of its own is bracketed: `labels["app.io/x"]`. */
export function fieldOf(path: YamlPath): string {
  return path
    .map(String)
    .map((key, i) => (key.includes('.') ? `[${JSON.stringify(key)}]` : i === 0 ? key : `.${key}`))
    .join('');
}

export const ADD_A_FUNCTION =
  'Add at least one function under functions: (lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest)';
