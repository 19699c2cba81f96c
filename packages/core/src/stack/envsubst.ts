import { UserError } from '../errors.ts';
import type { StackEnv } from './types.ts';
import { isWithheldVariable } from './withheld.ts';

// faas-cli runs the raw stack file through drone/envsubst before parsing it (on by default,
// `--envsubst=false` turns it off), with os.LookupEnv where an unset variable reads as "".
// We keep the subset stack files use, with the same meaning:
//   ${VAR}                     the value, "" when unset
//   ${VAR:-word} ${VAR-word}   word when VAR is unset or empty (drone/envsubst cannot tell an
//   ${VAR:=word} ${VAR=word}   unset variable from an empty one, so all four behave alike)
//   $$                         a literal $
// A bare $VAR is left as it is, as drone/envsubst does. Other bash operators are refused with
// the line, rather than silently producing a different file than faas-cli would.
// Unlike faas-cli, the action's inputs and the runner's tokens (withheld.ts) are never read:
// a reference to one is reported with its line (parse.ts makes it an error naming the field).

export interface Substitution {
  text: string;
  /** Variables that were unset or empty and had no default, with the line they stood on. */
  empty: { name: string; line: number }[];
  /** References to withheld variables (withheld.ts), substituted by nothing, with their line. */
  withheld: { name: string; line: number }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const DEFAULT_OPERATORS = [':-', ':=', '-', '='];

export function substituteEnv(raw: string, env: StackEnv, file: string): Substitution {
  const empty: Substitution['empty'] = [];
  const withheld: Substitution['withheld'] = [];
  const lineAt = (offset: number): number => raw.slice(0, offset).split('\n').length;

  // Expands raw[from, to) and returns the text; `${` … `}` may nest inside a default.
  const expand = (from: number, to: number): string => {
    let out = '';
    let i = from;
    while (i < to) {
      const dollar = raw.indexOf('$', i);
      if (dollar === -1 || dollar >= to) {
        out += raw.slice(i, to);
        break;
      }
      out += raw.slice(i, dollar);
      if (raw[dollar + 1] === '$') {
        out += '$';
        i = dollar + 2;
      } else if (raw[dollar + 1] === '{') {
        const close = matchingBrace(raw, dollar + 2, to);
        if (close === -1) {
          throw new UserError(`unclosed variable reference "${firstLine(raw.slice(dollar, to))}"`, {
            file,
            line: lineAt(dollar),
            hint: 'Close it with "}", or write "$$" for a literal dollar sign',
          });
        }
        out += evaluate(dollar, close);
        i = close + 1;
      } else {
        out += '$';
        i = dollar + 1;
      }
    }
    return out;
  };

  // raw[start] is the `$` of `${`, raw[close] its `}`.
  const evaluate = (start: number, close: number): string => {
    const body = raw.slice(start + 2, close);
    const name = NAME.exec(body)?.[0];
    const operator = name && DEFAULT_OPERATORS.find((op) => body.startsWith(op, name.length));
    if (!name || (body !== name && !operator)) {
      throw new UserError(`unsupported variable reference "${raw.slice(start, close + 1)}"`, {
        file,
        line: lineAt(start),
        hint: 'Use ${VAR}, ${VAR:-default} or ${VAR:=default}, or write "$$" for a literal dollar sign',
      });
    }
    // Refused even with a default: whoever wrote it meant the secret, not the default.
    if (isWithheldVariable(name)) {
      withheld.push({ name, line: lineAt(start) });
      return '';
    }
    const value = env[name] ?? '';
    if (value !== '') return value;
    if (operator) return expand(start + 2 + name.length + operator.length, close);
    empty.push({ name, line: lineAt(start) });
    return '';
  };

  return { text: expand(0, raw.length), empty, withheld };
}

function matchingBrace(text: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    if (text[i] === '\n') return -1;
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
