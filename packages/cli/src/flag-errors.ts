import { UserError } from '@greenlight/core';

/**
 * Core names the inputs of its errors as the API does (`revision`, `by`); a CLI user typed
 * flags. Returns the error with `flags[field]` as its field, else the error unchanged.
 */
export function namingFlags(error: unknown, flags: Record<string, string>): unknown {
  if (!(error instanceof UserError) || !error.field || !(error.field in flags)) return error;
  // UserError formats its message as "<field>: <message>[. <hint>]"; take it apart again.
  const prefix = `${error.field}: `;
  const suffix = error.hint ? `. ${error.hint}` : '';
  if (!error.message.startsWith(prefix) || !error.message.endsWith(suffix)) return error;
  const message = error.message.slice(prefix.length, error.message.length - suffix.length);
  return new UserError(message, { field: flags[error.field], hint: error.hint });
}
