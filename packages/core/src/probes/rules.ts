import type { YamlPath } from '../stack/locate.ts';
import { suggestDnsLabel } from '../stack/names.ts';
import { fieldOf, type Problem } from '../stack/problem.ts';
import { patternError } from './pattern.ts';
import { REQUEST_KEYS } from './schema.ts';
import { ADD_A_CONVERSATION, ADD_A_FUNCTION, EXAMPLE_TURN } from './words.ts';

// The rules beyond shape, each broken one a problem. Like stack/rules.ts they read the data
// defensively (the shape may be wrong elsewhere), so the problem reported first is the first
// one in the file.

const VERSIONS = [1];
const EXPECT_KEYS = ['status', 'contains', 'matches'];
// Kubernetes: a Secret's name is a DNS subdomain, its keys [-._a-zA-Z0-9]+.
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The rules of a whole probes.yml. */
export function fileRules(data: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  if (data.version === undefined) {
    problems.push({
      path: ['version'],
      message: 'version is missing',
      hint: 'Add version: 1 at the top of the file',
    });
  } else if (!VERSIONS.includes(data.version as number)) {
    problems.push({
      path: ['version'],
      message: `unsupported probes file version ${JSON.stringify(data.version)}`,
      hint: 'Write version: 1',
    });
  }
  if (!isRecord(data.functions)) return problems;
  if (Object.keys(data.functions).length === 0) {
    problems.push({ path: ['functions'], message: 'functions is empty', hint: ADD_A_FUNCTION });
  }
  for (const [name, fn] of Object.entries(data.functions)) {
    problems.push(...functionRules(fn, ['functions', name], `function "${name}"`));
  }
  return problems;
}

/** The rules of one function's probe at `at`; `who` names it in a message (`function "bot"`). */
export function functionRules(fn: unknown, at: YamlPath, who: string): Problem[] {
  if (!isRecord(fn)) return [];
  const problems: Problem[] = [];
  const problem = (path: YamlPath, message: string, hint: string) =>
    problems.push({ path: [...at, ...path], message, hint });

  if (typeof fn.path === 'string' && !/^\/[^\s#]*$/.test(fn.path)) {
    problem(
      ['path'],
      `path "${fn.path}" is not an absolute URL path`,
      `Write it with a leading "/" and no spaces, e.g. path: /${fn.path.replace(/^\/*/, '').replace(/[\s#]/g, '')}`,
    );
  }
  const secret = isRecord(fn.signingSecret) ? fn.signingSecret : undefined;
  if (typeof secret?.secret === 'string' && !SECRET_NAME.test(secret.secret)) {
    problem(
      ['signingSecret', 'secret'],
      `invalid Secret name "${secret.secret}"`,
      `Kubernetes Secret names use lowercase letters, digits, "-" and ".", e.g. ${suggestDnsLabel(secret.secret)}`,
    );
  }
  if (typeof secret?.key === 'string' && !SECRET_KEY.test(secret.key)) {
    problem(
      ['signingSecret', 'key'],
      `invalid Secret key "${secret.key}"`,
      'Secret keys use letters, digits, "-", "_" and ".", e.g. signing-secret',
    );
  }
  if (!Array.isArray(fn.conversations)) return problems;
  if (fn.conversations.length === 0) {
    problem(['conversations'], 'conversations is empty', ADD_A_CONVERSATION);
  }
  const names = new Set<string>();
  let signed = false;
  fn.conversations.forEach((conversation: unknown, c) => {
    if (!isRecord(conversation)) return;
    const here: YamlPath = ['conversations', c];
    if (typeof conversation.name === 'string') {
      if (conversation.name.trim() === '') {
        problem(
          [...here, 'name'],
          'the conversation has an empty name',
          'Name it, e.g. name: greets (a failure is reported by it)',
        );
      } else if (names.has(conversation.name)) {
        problem(
          [...here, 'name'],
          `two conversations are named "${conversation.name}"`,
          'Give each conversation its own name: a failure is reported by it',
        );
      }
      names.add(conversation.name);
    }
    if (!Array.isArray(conversation.turns)) return;
    if (conversation.turns.length === 0) {
      problem([...here, 'turns'], 'turns is empty', `Add a turn, e.g. turns: [${EXAMPLE_TURN}]`);
    }
    conversation.turns.forEach((turn: unknown, t) => {
      if (!isRecord(turn)) return;
      const turnPath: YamlPath = [...here, 'turns', t];
      const kinds = REQUEST_KEYS.filter((key) => turn[key] !== undefined);
      if (kinds.length === 0) {
        problem(
          turnPath,
          'the turn sends nothing',
          'Give it one of webchat:, slackCommand: or slackEvent:, the request the bot receives',
        );
      } else if (kinds.length > 1) {
        problem(
          [...turnPath, kinds[1]!],
          `a turn sends one request; this one has ${kinds.join(' and ')}`,
          'Split it into one turn per request, in the order they are sent',
        );
      }
      if (kinds.some((kind) => kind !== 'webchat') && !signed && fn.signingSecret === undefined) {
        signed = true; // once per function: one fix covers every Slack turn
        const kind = kinds.find((k) => k !== 'webchat')!;
        problem(
          [...turnPath, kind],
          `${who} has a ${kind} turn, signed as Slack signs it, but no signingSecret to sign it with`,
          at.length
            ? `Add signingSecret: {secret: <Secret name>, key: <key>} under ${fieldOf(at)}: the Kubernetes Secret in the function's namespace that holds the bot's Slack signing secret`
            : 'Add signingSecret: to the function in probes.yml, then render and apply the Canary again',
        );
      }
      const command = isRecord(turn.slackCommand) ? turn.slackCommand.command : undefined;
      if (typeof command === 'string' && !/^\/\S+$/.test(command)) {
        problem(
          [...turnPath, 'slackCommand', 'command'],
          `command "${command}" is not a slash command`,
          `Write it with its leading "/" and no spaces, e.g. command: /${command.replace(/^\/*/, '').split(/\s/, 1)[0] || 'ask'}`,
        );
      }
      if (isRecord(turn.expect))
        problems.push(...expectRules(turn.expect, [...at, ...turnPath, 'expect']));
    });
  });
  return problems;
}

function expectRules(expect: Record<string, unknown>, at: YamlPath): Problem[] {
  const problems: Problem[] = [];
  const { status, contains, matches } = expect;
  // An unknown key (`contain:`) is reported as such, not as an expect without checks.
  const known = Object.keys(expect).every((key) => EXPECT_KEYS.includes(key));
  if (known && contains === undefined && matches === undefined) {
    problems.push({
      path: at,
      message: 'expect checks nothing the bot said',
      hint: 'Add contains: (a text the reply must include) or matches: (a regular expression it must match)',
    });
  }
  if (typeof status === 'number' && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
    problems.push({
      path: [...at, 'status'],
      message: `status ${status} is not an HTTP status`,
      hint: 'Write the status the reply must have, e.g. status: 200 (the default)',
    });
  }
  if (contains === '') {
    problems.push({
      path: [...at, 'contains'],
      message: 'contains is empty, which every reply contains',
      hint: 'Write the text the reply must include, e.g. contains: pong',
    });
  }
  if (matches === '') {
    problems.push({
      path: [...at, 'matches'],
      message: 'matches is empty, which every reply matches',
      hint: 'Write the regular expression the reply must match, e.g. matches: "says: pong$"',
    });
  } else if (typeof matches === 'string') {
    const invalid = patternError(matches);
    if (invalid) {
      problems.push({
        path: [...at, 'matches'],
        message: `matches is not a regular expression: ${invalid}`,
        hint: "Write it in RE2 syntax (Go's regexp: no backreferences or lookaround); in single quotes YAML keeps backslashes as written, e.g. matches: '\\(\\w+\\) says'",
      });
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
