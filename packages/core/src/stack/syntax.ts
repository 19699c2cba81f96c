import type { YAMLError } from 'yaml';
import { UserError } from '../errors.ts';

const HINTS: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'Each key may appear once in a mapping; merge the two entries or rename one',
  TAB_AS_INDENT: 'Indent with spaces; YAML does not allow tabs',
  MULTIPLE_DOCS: 'A stack file holds one YAML document; remove the "---" separator',
};
const DEFAULT_HINT =
  'Check the indentation, a missing ":" or an unclosed quote or bracket on this line or the one above';

/** The yaml package's first error as a UserError on the line it names. */
export function yamlSyntaxError(error: YAMLError, text: string, file: string): UserError {
  const summary = (error.message.split('\n', 1)[0] ?? '').replace(
    / at line \d+, column \d+:?$/,
    '',
  );
  // An unclosed bracket is noticed at the end of the input, one past the last line of text.
  const lastLine = text.replace(/\n$/, '').split('\n').length;
  const line = Math.min(error.linePos?.[0].line ?? 1, lastLine);
  return new UserError(`invalid YAML: ${summary}`, {
    file,
    line,
    hint: HINTS[error.code] ?? DEFAULT_HINT,
  });
}
