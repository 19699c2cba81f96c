/**
 * An error the user can fix: bad input, a missing object, a refused permission.
 * It says what was wrong, where (file, line, field) and what to do next, and it never
 * carries secrets. The CLI exits 2 on it, the gate answers 400, the action fails the step
 * with its message.
 */
export interface UserErrorDetails {
  /** The input field, e.g. `functions.bot.image` or `--step-weight`. */
  field?: string;
  /** The file the input came from. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** What to do about it, one sentence. */
  hint?: string;
}

export class UserError extends Error {
  readonly field?: string;
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;

  constructor(message: string, details: UserErrorDetails = {}) {
    super(formatUserError(message, details));
    this.name = 'UserError';
    this.field = details.field;
    this.file = details.file;
    this.line = details.line;
    this.hint = details.hint;
  }
}

function formatUserError(message: string, { field, file, line, hint }: UserErrorDetails): string {
  const where = [file && (line ? `${file}:${line}` : file), field].filter(Boolean).join(' ');
  return `${where ? `${where}: ` : ''}${message}${hint ? `. ${hint}` : ''}`;
}
