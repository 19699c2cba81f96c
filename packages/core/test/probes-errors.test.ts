import { describe, expect, it } from '@jest/globals';
import { parseProbeFile, UserError } from '../src/index.ts';

// Every probes file a user can get wrong, with the file:line, field and message they will read.

const HEAD = 'version: 1\nfunctions:\n  chatbot:\n';
const SIGNED = '    signingSecret: {secret: chatbot-slack, key: signing-secret}\n';
const TURNS = (turns: string, extra = '') =>
  `${HEAD}${extra}    conversations:\n      - name: greets\n        turns:\n${turns}`;
const ONE = '    conversations: [{name: a, turns: [{webchat: hi, expect: {contains: hi}}]}]\n';
const TURN0 = 'functions.chatbot.conversations[0].turns[0]';

interface BadProbes {
  name: string;
  text: string;
  line: number;
  field?: string;
  message: string;
}

const cases: BadProbes[] = [
  {
    name: 'an empty file',
    text: '# no probes yet\n',
    line: 1,
    message:
      'the probes file is empty. Start it with "version: 1" and a "functions:" map, as in examples/chatbot/probes.yml',
  },
  {
    name: 'a list instead of a mapping',
    text: '- chatbot\n',
    line: 1,
    message:
      'the probes file must be a YAML mapping. Start it with "version:" and "functions:" keys at the left margin',
  },
  {
    name: 'a YAML syntax error (unclosed flow list)',
    text: `${HEAD}    conversations: [\n`,
    line: 4,
    message:
      'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Check the indentation, a missing ":" or an unclosed quote or bracket on this line or the one above',
  },
  {
    name: 'the same function twice',
    text: `${HEAD}${ONE}  chatbot: {}\n`,
    line: 5,
    message:
      'invalid YAML: Map keys must be unique. Each key may appear once in a mapping; merge the two entries or rename one',
  },
  {
    name: 'no version',
    text: `functions:\n  chatbot:\n${ONE}`,
    line: 1,
    field: 'version',
    message: 'version is missing. Add version: 1 at the top of the file',
  },
  {
    name: 'another version',
    text: `version: 2\nfunctions:\n  chatbot:\n${ONE}`,
    line: 1,
    field: 'version',
    message: 'unsupported probes file version 2. Write version: 1',
  },
  {
    name: 'a quoted version',
    text: `version: "1"\nfunctions:\n  chatbot:\n${ONE}`,
    line: 1,
    field: 'version',
    message: 'unsupported probes file version "1". Write version: 1',
  },
  {
    name: 'no functions',
    text: 'version: 1\n',
    line: 1,
    field: 'functions',
    message:
      'functions is missing. Add a function of stack.yml under functions:, with its conversations (see docs/probes.md)',
  },
  {
    name: 'an empty functions key',
    text: 'version: 1\nfunctions:\n',
    line: 2,
    field: 'functions',
    message:
      'functions is empty. Add a function of stack.yml under functions:, with its conversations (see docs/probes.md)',
  },
  {
    name: '`function:` instead of `functions:`',
    text: 'version: 1\nfunction:\n  chatbot: {}\n',
    line: 2,
    field: 'function',
    message: 'unknown key "function". Did you mean "functions"?',
  },
  {
    name: 'a function with nothing under it',
    text: HEAD,
    line: 3,
    field: 'functions.chatbot',
    message:
      'function "chatbot" has no probes. Give it conversations:. Add a conversation: - name: greets, turns: [{webchat: hello, expect: {contains: hello}}]',
  },
  {
    name: 'no conversations',
    text: `${HEAD}    path: /\n`,
    line: 3,
    field: 'functions.chatbot.conversations',
    message:
      'conversations is missing. Add a conversation: - name: greets, turns: [{webchat: hello, expect: {contains: hello}}]',
  },
  {
    name: 'an empty conversations list',
    text: `${HEAD}    conversations: []\n`,
    line: 4,
    field: 'functions.chatbot.conversations',
    message:
      'conversations is empty. Add a conversation: - name: greets, turns: [{webchat: hello, expect: {contains: hello}}]',
  },
  {
    name: '`conversation:` instead of `conversations:`',
    text: `${HEAD}    conversation: []\n`,
    line: 4,
    field: 'functions.chatbot.conversation',
    message: 'unknown key "conversation". Did you mean "conversations"?',
  },
  {
    name: 'an unknown key with no near miss',
    text: `${HEAD}    replicas: 2\n${ONE}`,
    line: 4,
    field: 'functions.chatbot.replicas',
    message:
      'unknown key "replicas". Remove it; the keys allowed here are path, signingSecret, conversations',
  },
  {
    name: 'a path without its leading slash',
    text: `${HEAD}    path: api/chat\n${ONE}`,
    line: 4,
    field: 'functions.chatbot.path',
    message:
      'path "api/chat" is not an absolute URL path. Write it with a leading "/" and no spaces, e.g. path: /api/chat',
  },
  {
    name: 'a Secret name Kubernetes refuses',
    text: `${HEAD}    signingSecret: {secret: Chatbot_Slack, key: signing-secret}\n${ONE}`,
    line: 4,
    field: 'functions.chatbot.signingSecret.secret',
    message:
      'invalid Secret name "Chatbot_Slack". Kubernetes Secret names use lowercase letters, digits, "-" and ".", e.g. chatbot-slack',
  },
  {
    name: 'a Secret key Kubernetes refuses',
    text: `${HEAD}    signingSecret: {secret: chatbot-slack, key: signing secret}\n${ONE}`,
    line: 4,
    field: 'functions.chatbot.signingSecret.key',
    message:
      'invalid Secret key "signing secret". Secret keys use letters, digits, "-", "_" and ".", e.g. signing-secret',
  },
  {
    name: 'a signingSecret without its key',
    text: `${HEAD}    signingSecret: {secret: chatbot-slack}\n${ONE}`,
    line: 4,
    field: 'functions.chatbot.signingSecret.key',
    message:
      "key is missing. Set key: to the Secret's key that holds the signing secret, e.g. key: signing-secret",
  },
  {
    name: 'a conversation that is not a mapping',
    text: `${HEAD}    conversations: [greets]\n`,
    line: 4,
    field: 'functions.chatbot.conversations[0]',
    message:
      'conversations[0] must be a mapping, not the string "greets". Write the conversation as its name and turns, e.g. - {name: greets, turns: [{webchat: hello, expect: {contains: hello}}]}',
  },
  {
    name: 'conversations that are a mapping',
    text: `${HEAD}    conversations: {name: greets}\n`,
    line: 4,
    field: 'functions.chatbot.conversations',
    message: 'conversations must be a list, not a mapping. Change conversations to a list',
  },
  {
    name: 'a conversation without a name',
    text: `${HEAD}    conversations:\n      - turns: [{webchat: hi, expect: {contains: hi}}]\n`,
    line: 5,
    field: 'functions.chatbot.conversations[0].name',
    message:
      'name is missing. Name the conversation, e.g. name: greets (a failure is reported by it)',
  },
  {
    name: 'two conversations with one name',
    text: `${HEAD}    conversations:\n      - {name: a, turns: [{webchat: hi, expect: {contains: hi}}]}\n      - {name: a, turns: [{webchat: yo, expect: {contains: yo}}]}\n`,
    line: 6,
    field: 'functions.chatbot.conversations[1].name',
    message:
      'two conversations are named "a". Give each conversation its own name: a failure is reported by it',
  },
  {
    name: 'a conversation without turns',
    text: `${HEAD}    conversations:\n      - name: greets\n`,
    line: 5,
    field: 'functions.chatbot.conversations[0].turns',
    message:
      'turns is missing. Add turns: under the conversation, e.g. turns: [{webchat: hello, expect: {contains: hello}}]',
  },
  {
    name: 'an empty turns list',
    text: `${HEAD}    conversations:\n      - name: greets\n        turns: []\n`,
    line: 6,
    field: 'functions.chatbot.conversations[0].turns',
    message:
      'turns is empty. Add a turn, e.g. turns: [{webchat: hello, expect: {contains: hello}}]',
  },
  {
    name: 'a turn that is only a message',
    text: TURNS('          - hello\n'),
    line: 7,
    field: TURN0,
    message:
      'turns[0] must be a mapping, not the string "hello". Write the turn as a request and what the reply must say, e.g. - {webchat: hello, expect: {contains: hello}}',
  },
  {
    name: 'a signingSecret that is only a name',
    text: `${HEAD}    signingSecret: chatbot-slack\n${ONE}`,
    line: 4,
    field: 'functions.chatbot.signingSecret',
    message:
      'signingSecret must be a mapping, not the string "chatbot-slack". Write signingSecret: as "name: value" lines indented under it',
  },
  {
    name: 'a turn that sends nothing',
    text: TURNS('          - expect: {contains: hi}\n'),
    line: 7,
    field: TURN0,
    message:
      'the turn sends nothing. Give it one of webchat:, slackCommand: or slackEvent:, the request the bot receives',
  },
  {
    name: 'a turn with two requests',
    text: TURNS(
      '          - webchat: hi\n            slackEvent: {type: app_mention}\n            expect: {contains: hi}\n',
      SIGNED,
    ),
    line: 9,
    field: `${TURN0}.slackEvent`,
    message:
      'a turn sends one request; this one has webchat and slackEvent. Split it into one turn per request, in the order they are sent',
  },
  {
    name: 'a Slack turn without a signingSecret',
    text: TURNS(
      '          - webchat: hi\n            expect: {contains: hi}\n          - slackCommand: {command: /ask, text: hi}\n            expect: {contains: hi}\n',
    ),
    line: 9,
    field: 'functions.chatbot.conversations[0].turns[1].slackCommand',
    message:
      'function "chatbot" has a slackCommand turn, signed as Slack signs it, but no signingSecret to sign it with. Add signingSecret: {secret: <Secret name>, key: <key>} under functions.chatbot: the Kubernetes Secret in the function\'s namespace that holds the bot\'s Slack signing secret',
  },
  {
    name: 'a Slack event without a signingSecret',
    text: TURNS(
      '          - slackEvent: {type: app_mention, text: ping}\n            expect: {contains: pong}\n',
    ),
    line: 7,
    field: `${TURN0}.slackEvent`,
    message:
      'function "chatbot" has a slackEvent turn, signed as Slack signs it, but no signingSecret to sign it with. Add signingSecret: {secret: <Secret name>, key: <key>} under functions.chatbot: the Kubernetes Secret in the function\'s namespace that holds the bot\'s Slack signing secret',
  },
  {
    name: 'a web chat message that YAML reads as a number',
    text: TURNS('          - webchat: 42\n            expect: {contains: hi}\n'),
    line: 7,
    field: `${TURN0}.webchat`,
    message:
      'webchat must be a message or a mapping of message: and user:, not the number 42. Quote it: webchat: "42"',
  },
  {
    name: 'an empty web chat',
    text: TURNS('          - webchat:\n            expect: {contains: hi}\n'),
    line: 7,
    field: `${TURN0}.webchat`,
    message:
      'webchat must be a message or a mapping of message: and user:, not empty. Write webchat: hello, or webchat: {message: hello, user: probe}',
  },
  {
    name: 'a web chat without its message',
    text: TURNS('          - webchat: {user: probe}\n            expect: {contains: hi}\n'),
    line: 7,
    field: `${TURN0}.webchat.message`,
    message: 'message is missing. Set message: to what the user writes, e.g. message: hello',
  },
  {
    name: 'a misspelt web chat key',
    text: TURNS(
      '          - webchat: {message: hi, usr: probe}\n            expect: {contains: hi}\n',
    ),
    line: 7,
    field: `${TURN0}.webchat.usr`,
    message: 'unknown key "usr". Did you mean "user"?',
  },
  {
    name: 'a slash command without its slash',
    text: TURNS(
      '          - slackCommand: {command: ask, text: hi}\n            expect: {contains: hi}\n',
      SIGNED,
    ),
    line: 8,
    field: `${TURN0}.slackCommand.command`,
    message:
      'command "ask" is not a slash command. Write it with its leading "/" and no spaces, e.g. command: /ask',
  },
  {
    name: 'a slash command without a command',
    text: TURNS(
      '          - slackCommand: {text: hi}\n            expect: {contains: hi}\n',
      SIGNED,
    ),
    line: 8,
    field: `${TURN0}.slackCommand.command`,
    message: 'command is missing. Set command: to the slash command, e.g. command: /ask',
  },
  {
    name: 'a Slack event without a type',
    text: TURNS(
      '          - slackEvent: {text: ping}\n            expect: {contains: pong}\n',
      SIGNED,
    ),
    line: 8,
    field: `${TURN0}.slackEvent.type`,
    message: 'type is missing. Set type: to the Slack event type, e.g. type: app_mention',
  },
  {
    name: 'a turn without expect',
    text: TURNS('          - webchat: hi\n'),
    line: 7,
    field: `${TURN0}.expect`,
    message:
      'expect is missing. Add expect: with contains: or matches:, what the reply must say, e.g. expect: {contains: hello}',
  },
  {
    name: 'an expect that checks only the status',
    text: TURNS('          - webchat: hi\n            expect: {status: 200}\n'),
    line: 8,
    field: `${TURN0}.expect`,
    message:
      'expect checks nothing the bot said. Add contains: (a text the reply must include) or matches: (a regular expression it must match)',
  },
  {
    name: '`contain:` instead of `contains:`',
    text: TURNS('          - webchat: hi\n            expect: {contain: hi}\n'),
    line: 8,
    field: `${TURN0}.expect.contain`,
    message: 'unknown key "contain". Did you mean "contains"?',
  },
  {
    name: 'a quoted status',
    text: TURNS('          - webchat: hi\n            expect: {status: "200", contains: hi}\n'),
    line: 8,
    field: `${TURN0}.expect.status`,
    message:
      'status must be a number, not the string "200". Write the HTTP status as a number, without quotes: status: 200',
  },
  {
    name: 'a status that is no HTTP status',
    text: TURNS('          - webchat: hi\n            expect: {status: 2000, contains: hi}\n'),
    line: 8,
    field: `${TURN0}.expect.status`,
    message:
      'status 2000 is not an HTTP status. Write the status the reply must have, e.g. status: 200 (the default)',
  },
  {
    name: 'a contains that YAML reads as a number',
    text: TURNS('          - webchat: hi\n            expect: {contains: 42}\n'),
    line: 8,
    field: `${TURN0}.expect.contains`,
    message: 'contains must be a string, not the number 42. Quote it: contains: "42"',
  },
  {
    name: 'an empty contains',
    text: TURNS("          - webchat: hi\n            expect: {contains: ''}\n"),
    line: 8,
    field: `${TURN0}.expect.contains`,
    message:
      'contains is empty, which every reply contains. Write the text the reply must include, e.g. contains: pong',
  },
  {
    name: 'a matches that is no regular expression',
    text: TURNS("          - webchat: hi\n            expect: {matches: '(says'}\n"),
    line: 8,
    field: `${TURN0}.expect.matches`,
    message:
      "matches is not a regular expression: missing closing ): `(says`. Write it in RE2 syntax (Go's regexp: no backreferences or lookaround); in single quotes YAML keeps backslashes as written, e.g. matches: '\\(\\w+\\) says'",
  },
  {
    // A backreference needs a backtracking engine, which a pattern like ^(a|a)+$ stalls.
    name: 'a matches with a backreference',
    text: TURNS("          - webchat: hi\n            expect: {matches: '(a)\\1'}\n"),
    line: 8,
    field: `${TURN0}.expect.matches`,
    message:
      "matches is not a regular expression: invalid escape sequence: `\\1`. Write it in RE2 syntax (Go's regexp: no backreferences or lookaround); in single quotes YAML keeps backslashes as written, e.g. matches: '\\(\\w+\\) says'",
  },
  {
    name: 'a matches with a lookahead',
    text: TURNS("          - webchat: hi\n            expect: {matches: 'pong(?=!)'}\n"),
    line: 8,
    field: `${TURN0}.expect.matches`,
    message:
      "matches is not a regular expression: invalid or unsupported Perl syntax: `(?=`. Write it in RE2 syntax (Go's regexp: no backreferences or lookaround); in single quotes YAML keeps backslashes as written, e.g. matches: '\\(\\w+\\) says'",
  },
];

describe('a broken probes file', () => {
  it.each(cases)('$name: line $line, field $field', ({ text, line, field, message }) => {
    let error: unknown;
    try {
      parseProbeFile(text, 'probes.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const e = error as UserError;
    expect({ file: e.file, line: e.line, field: e.field }).toEqual({
      file: 'probes.yml',
      line,
      field,
    });
    expect(e.hint).toBeTruthy();
    const where = field ? `probes.yml:${line} ${field}: ` : `probes.yml:${line}: `;
    expect(e.message).toBe(where + message);
  });

  it('refuses a probe too long for the webhook metadata, naming its function', () => {
    const turn = `          - webchat: '${'x'.repeat(1000)}'\n            expect: {contains: x}\n`;
    const text = `${HEAD}${ONE}  faq-bot:\n    conversations:\n      - name: long\n        turns:\n${turn.repeat(70)}`;
    expect(() => parseProbeFile(text, 'probes.yml')).toThrow(
      expect.objectContaining({
        line: 5,
        field: 'functions.faq-bot',
        reason: expect.stringMatching(
          /^the probe of function "faq-bot" is \d+ characters as webhook metadata, more than the 4096 the prober accepts$/,
        ),
      }),
    );
    expect(() => parseProbeFile(`${HEAD}${ONE}`, 'probes.yml')).not.toThrow();
  });

  it('with several problems, reports the first in the file, whatever kind it is', () => {
    const text = TURNS(
      "          - webchat: hi\n            expect: {matches: '(a'}\n          - webchat: hi\n            expect: {contians: x}\n",
      '    path: api\n',
    );
    expect(() => parseProbeFile(text, 'probes.yml')).toThrow(
      expect.objectContaining({ line: 4, field: 'functions.chatbot.path' }),
    );
    const later = text.replace('path: api', 'path: /api');
    expect(() => parseProbeFile(later, 'probes.yml')).toThrow(
      expect.objectContaining({ line: 9, field: `${TURN0}.expect.matches` }),
    );
    const last = later.replace("'(a'", "'a'");
    expect(() => parseProbeFile(last, 'probes.yml')).toThrow(
      expect.objectContaining({
        line: 11,
        field: 'functions.chatbot.conversations[0].turns[1].expect.contians',
      }),
    );
  });
});
