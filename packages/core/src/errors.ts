/**
 * An error the user can fix: bad input, a missing object, a refused permission.
 * It says what was wrong, where (file, line, field) and what to do next, and it never
 * carries secrets. The CLI exits 2 on it, the gate answers 400, the action fails the step
 * with its message.
 */
export interface UserErrorDetails {
  /** The input field as the user wrote it, e.g. `functions.bot.image` or `step-weight`. */
  field?: string;
  /**
   * The canonical option the error is about (`stepWeight`), whatever surface it was given
   * through; set by OptionError so a surface can name it in its own words.
   */
  option?: string;
  /** The file the input came from. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** What to do about it, one sentence. */
  hint?: string;
}

export class UserError extends Error {
  /** What was wrong, alone: the message without where it was and what to do. */
  readonly reason: string;
  readonly field?: string;
  readonly option?: string;
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;

  constructor(message: string, details: UserErrorDetails = {}) {
    super(formatUserError(message, details));
    this.name = 'UserError';
    this.reason = message;
    this.field = details.field;
    this.option = details.option;
    this.file = details.file;
    this.line = details.line;
    this.hint = details.hint;
  }
}

/**
 * How one surface spells an option: the CLI `--step-weight`, the action `step-weight`, the
 * chart `analysis.stepWeight`. With a value, how that surface writes setting it
 * (`--strategy canary`, `strategy: canary`).
 */
export type OptionNamer = (option: string, value?: string) => string;

/** Text that names options, written once and spelled by whichever surface reports it. */
export type OptionText = (name: OptionNamer) => string;

/** Core's own spelling: the canonical option name, a value as `option: value`. */
export const NEUTRAL_NAMES: OptionNamer = (option, value) =>
  value === undefined ? option : `${option}: ${value}`;

/**
 * A UserError about one option. Core raises it in neutral words (`stepWeight: must be ...`);
 * a surface calls `spelled(namer)` to get the same error in its own words, so no surface
 * rewrites core's message text.
 */
export class OptionError extends UserError {
  declare readonly option: string;
  readonly #reason: OptionText;
  readonly #fix?: OptionText;

  constructor(option: string, reason: OptionText, fix?: OptionText) {
    super(reason(NEUTRAL_NAMES), {
      field: option,
      option,
      ...(fix ? { hint: fix(NEUTRAL_NAMES) } : {}),
    });
    this.name = 'OptionError';
    this.#reason = reason;
    this.#fix = fix;
  }

  /** The same error, its field, message and hint in a surface's words. */
  spelled(name: OptionNamer): UserError {
    return new UserError(this.#reason(name), {
      field: name(this.option),
      option: this.option,
      ...(this.#fix ? { hint: this.#fix(name) } : {}),
    });
  }
}

function formatUserError(message: string, { field, file, line, hint }: UserErrorDetails): string {
  const where = [file && (line ? `${file}:${line}` : file), field].filter(Boolean).join(' ');
  return `${where ? `${where}: ` : ''}${message}${hint ? `. ${hint}` : ''}`;
}
