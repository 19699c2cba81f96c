import type * as z from 'zod';
import { describe, isPlainScalar, type IssueWords } from '../stack/issues.ts';
import type { YamlPath } from '../stack/locate.ts';
import { fieldOf } from '../stack/problem.ts';

export const EXAMPLE_TURN = '{webchat: hello, expect: {contains: hello}}';
export const ADD_A_CONVERSATION = `Add a conversation: - name: greets, turns: [${EXAMPLE_TURN}]`;
export const ADD_A_FUNCTION =
  'Add a function of stack.yml under functions:, with its conversations (see docs/probes.md)';

// Hints for required fields, keyed by the field's last key.
const MISSING: Record<string, string> = {
  functions: ADD_A_FUNCTION,
  conversations: ADD_A_CONVERSATION,
  name: 'Name the conversation, e.g. name: greets (a failure is reported by it)',
  turns: `Add turns: under the conversation, e.g. turns: [${EXAMPLE_TURN}]`,
  expect:
    'Add expect: with contains: or matches:, what the reply must say, e.g. expect: {contains: hello}',
  message: 'Set message: to what the user writes, e.g. message: hello',
  command: 'Set command: to the slash command, e.g. command: /ask',
  type: 'Set type: to the Slack event type, e.g. type: app_mention',
  secret:
    "Set secret: to the name of the Kubernetes Secret, in the function's namespace, that holds the Slack signing secret",
  key: "Set key: to the Secret's key that holds the signing secret, e.g. key: signing-secret",
};

/** How probes.yml's shape problems are worded; `schema` is the document's root. */
export function probeWords(schema: z.ZodType): IssueWords {
  return {
    schema,
    missingHint: (path) => MISSING[String(path.at(-1))],
    wrongType,
    reference: 'See docs/probes.md for this field',
  };
}

function wrongType(path: YamlPath, value: unknown, source: string) {
  const key = String(path.at(-1));
  if (value === null && fieldOf(path) === 'functions') {
    return { message: 'functions is empty', hint: ADD_A_FUNCTION };
  }
  if (value === null && path.length === 2 && path[0] === 'functions') {
    return {
      message: `function "${key}" has no probes`,
      hint: `Give it conversations:. ${ADD_A_CONVERSATION}`,
    };
  }
  if (typeof path.at(-1) === 'number' && path.at(-2) === 'turns') {
    return {
      hint: `Write the turn as a request and what the reply must say, e.g. - ${EXAMPLE_TURN}`,
    };
  }
  if (typeof path.at(-1) === 'number' && path.at(-2) === 'conversations') {
    return {
      hint: `Write the conversation as its name and turns, e.g. - {name: greets, turns: [${EXAMPLE_TURN}]}`,
    };
  }
  if (key === 'webchat') {
    return {
      message: `webchat must be a message or a mapping of message: and user:, not ${describe(value)}`,
      hint: isPlainScalar(value)
        ? `Quote it: webchat: "${source}"`
        : 'Write webchat: hello, or webchat: {message: hello, user: probe}',
    };
  }
  if (key === 'status' && typeof value === 'string') {
    return { hint: `Write the HTTP status as a number, without quotes: status: ${value}` };
  }
  return undefined;
}
