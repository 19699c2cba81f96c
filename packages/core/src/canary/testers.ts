// Testers first (Flagger's A/B testing): the request marks that send internal testers to the
// new version. Flagger turns `analysis.match` into the HTTPRoute's first rule (the marks, both
// backends, green at 100 during the run) and a second rule for everyone else (blue alone),
// pkg/router/gateway_api.go; `match` with `iterations` is its A/B strategy (scheduler.go runAB).
import type { CanaryAnalysis } from 'flagger-types';
import { OptionError, type OptionText } from '../errors.ts';
import { patternError } from '../probes/pattern.ts';
import type { CanaryOptionsInput, TesterMark } from './options.ts';

type Key = keyof CanaryOptionsInput;

// RFC 7230 token (tchar): a header's name, and a cookie's (RFC 6265 cookie-name). It is the
// Gateway API's HTTPHeaderName pattern too.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 7230 field-value without obs-fold: visible characters, spaces and tabs inside.
const FIELD_VALUE = /^[\x21-\x7e\x80-\xff]([\x20-\x7e\x80-\xff\t]*[\x21-\x7e\x80-\xff])?$/;
// RFC 6265 cookie-octet: no whitespace, DQUOTE, comma, semicolon or backslash.
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;
// The Gateway API's HTTPHeaderMatch: name at most 256, value at most 4096 characters.
const MAX_NAME = 256;
const MAX_VALUE = 4096;

/** The marks `testersHeader` / `testersCookie` give, in that order; none when neither is. */
export function testerMarks(header: unknown, cookie: unknown): TesterMark[] {
  return [
    ...(header === undefined ? [] : [headerMark(header)]),
    ...(cookie === undefined ? [] : [cookieMark(cookie)]),
  ];
}

/** `Name=value` (exact) or `Name=~pattern` (RE2, as Prometheus writes a regex matcher). */
function headerMark(value: unknown): TesterMark {
  const example: OptionText = (n) =>
    `For example ${n('testersHeader', 'X-Slack-Team-Id=T0123')} or ${n('testersHeader', 'X-Slack-Team-Id=~^T01')}.`;
  const [name, rest] = split('testersHeader', value, example);
  if (rest.startsWith('~')) {
    const pattern = rest.slice(1);
    const problem = pattern === '' ? 'is empty' : patternError(pattern);
    if (problem !== undefined || pattern.length > MAX_VALUE) {
      fail(
        'testersHeader',
        `has a pattern that is no RE2 regular expression: ${problem ?? `longer than ${MAX_VALUE} characters`}`,
        "Write it in RE2 syntax (Go's regexp: no backreferences or lookaround).",
      );
    }
    return { header: name, regex: pattern };
  }
  if (!FIELD_VALUE.test(rest) || rest.length > MAX_VALUE) {
    fail(
      'testersHeader',
      `must have a header value of visible characters (RFC 7230), at most ${MAX_VALUE}, got ${JSON.stringify(rest)}`,
      example,
    );
  }
  return { header: name, exact: rest };
}

/**
 * `name=value`, matched in the Cookie header as Flagger's A/B docs do: a regex that finds the
 * pair among the request's cookies, its characters escaped so it matches only itself.
 */
function cookieMark(value: unknown): TesterMark {
  const example: OptionText = (n) => `For example ${n('testersCookie', 'greenlight-tester=yes')}.`;
  const [name, cookie] = split('testersCookie', value, example);
  if (!COOKIE_VALUE.test(cookie)) {
    fail(
      'testersCookie',
      `must have a cookie value without spaces, quotes, commas, semicolons or backslashes (RFC 6265), got ${JSON.stringify(cookie)}`,
      example,
    );
  }
  return {
    header: 'Cookie',
    regex: `^(.*?;)?\\s*${escapeRe2(name)}=${escapeRe2(cookie)}\\s*(;.*)?$`,
  };
}

function split(key: Key, value: unknown, example: OptionText): [string, string] {
  const text = typeof value === 'string' ? value : '';
  const at = text.indexOf('=');
  const name = at > 0 ? text.slice(0, at) : '';
  if (!TOKEN.test(name) || name.length > MAX_NAME || at === text.length - 1) {
    fail(
      key,
      `must be name=value with a name of letters, digits and !#$%&'*+-.^_\`|~ (an RFC 7230 token, at most ${MAX_NAME}), got ${JSON.stringify(value)}`,
      example,
    );
  }
  return [name, text.slice(at + 1)];
}

function escapeRe2(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** `analysis.match`: one HTTPMatchRequest per mark, which Flagger ORs. */
export function renderMatch(marks: TesterMark[]): NonNullable<CanaryAnalysis['match']> {
  return marks.map((mark) => ({
    headers: {
      [mark.header]: mark.exact !== undefined ? { exact: mark.exact } : { regex: mark.regex },
    },
  }));
}

function fail(key: Key, reason: string, fix: string | OptionText): never {
  throw new OptionError(key, () => reason, typeof fix === 'string' ? () => fix : fix);
}
