import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  configFromEnv,
  handle,
  signSlackRequest,
  type ChatReply,
  type ChatRequest,
} from '../../../examples/chatbot/index.ts';
import {
  checkProbesAgainstStack,
  loadProbeFile,
  loadStack,
  type ProbeExpect,
  type ProbeFile,
  type ProbeRequest,
} from '../src/index.ts';

// examples/chatbot/probes.yml stays true: every turn, sent to the real example chatbot's handler
// as its callers send it (Slack turns signed as Slack signs them), gets the reply it expects
// from a healthy blue or green version, and a version with a reply bug fails it.
// The request encoding and the check here are this test's own small reading of the contract
// (issue 15), not the prober's code; they invent no reply.

const probesFile = fileURLToPath(new URL('../../../examples/chatbot/probes.yml', import.meta.url));
const stackFile = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));
const SECRET = 'the-bots-signing-secret';
const REVISION = '3f2c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a';

async function example(): Promise<ProbeFile> {
  const file = await loadProbeFile(probesFile);
  if (!file) throw new Error(`${probesFile} is missing`);
  return file;
}

function toChatRequest(request: ProbeRequest, secret: string, now: number): ChatRequest {
  const [contentType, body] =
    request.kind === 'webchat'
      ? ['application/json', JSON.stringify({ message: request.message, user: request.user })]
      : request.kind === 'slack-command'
        ? [
            'application/x-www-form-urlencoded',
            new URLSearchParams({
              command: request.command,
              text: request.text,
              ...(request.userName && { user_name: request.userName }),
            }).toString(),
          ]
        : ['application/json', JSON.stringify({ type: 'event_callback', event: request.event })];
  const headers: Record<string, string> = { 'content-type': contentType };
  if (request.kind !== 'webchat') {
    headers['x-slack-request-timestamp'] = String(now);
    headers['x-slack-signature'] = signSlackRequest(secret, String(now), body);
  }
  return { method: 'POST', path: '/', headers, body, now };
}

/** What did not hold, or undefined when the reply is as expected. */
function unmet(reply: ChatReply, expect: ProbeExpect): string | undefined {
  if (reply.status !== (expect.status ?? 200)) return `status ${reply.status}: ${reply.body}`;
  const json = JSON.parse(reply.body) as { reply?: unknown; text?: unknown };
  const text =
    typeof json.reply === 'string' ? json.reply : typeof json.text === 'string' ? json.text : '';
  if (expect.contains !== undefined && !text.includes(expect.contains)) {
    return `"${text}" does not contain "${expect.contains}"`;
  }
  if (expect.matches !== undefined && !new RegExp(expect.matches).test(text)) {
    return `"${text}" does not match /${expect.matches}/`;
  }
  return undefined;
}

/** Each turn of the example's probe against a chatbot configured by `env`, with what did not hold. */
async function converse(env: NodeJS.ProcessEnv, probeSecret = SECRET) {
  const config = configFromEnv({ BOT_REVISION: REVISION, SLACK_SIGNING_SECRET: SECRET, ...env });
  const now = Math.floor(Date.now() / 1000);
  const probe = (await example()).functions.chatbot!;
  return probe.conversations.flatMap((conversation) =>
    conversation.turns.map((turn, i) => ({
      turn: `${conversation.name} #${i + 1}`,
      unmet: unmet(handle(toChatRequest(turn.request, probeSecret, now), config), turn.expect),
    })),
  );
}

describe('examples/chatbot/probes.yml', () => {
  it('names the stack file’s chatbot, with a web chat, a slash command and an app_mention', async () => {
    const file = await example();
    const stack = await loadStack(stackFile, {});
    expect(() => checkProbesAgainstStack(file, Object.keys(stack.functions))).not.toThrow();
    const kinds = file.functions.chatbot!.conversations.flatMap((c) =>
      c.turns.map((t) =>
        t.request.kind === 'slack-event' ? t.request.event.type : t.request.kind,
      ),
    );
    expect(new Set(kinds)).toEqual(new Set(['webchat', 'slack-command', 'app_mention']));
    expect(file.functions.chatbot!.signingSecret).toEqual({
      secret: 'slack-signing-secret',
      key: 'slack-signing-secret',
    });
  });

  it.each(['blue', 'green'])('is answered right by a healthy %s version', async (color) => {
    const turns = await converse({ BOT_COLOR: color });
    expect(turns.length).toBeGreaterThanOrEqual(4);
    expect(turns.filter((t) => t.unmet)).toEqual([]);
  });

  it('fails on a version whose greeting is wrong (DEMO_FAULT=wrong-reply)', async () => {
    const failed = (await converse({ DEMO_FAULT: 'wrong-reply' })).filter((t) => t.unmet);
    expect(failed).toEqual([
      {
        turn: 'greets on the web chat #1',
        unmet: expect.stringMatching(
          /says: goodbye @probe!" does not contain "says: hello @probe!"$/,
        ),
      },
    ]);
  });

  it('fails on a version that cannot answer questions (DEMO_FAULT=fail-questions)', async () => {
    const failed = (await converse({ DEMO_FAULT: 'fail-questions' })).filter((t) => t.unmet);
    expect(failed).toEqual([
      { turn: 'answers a slash command #2', unmet: expect.stringMatching(/^status 500: /) },
    ]);
  });

  it('fails every Slack turn when signed with another secret than the bot’s', async () => {
    const failed = (await converse({}, 'not-the-bots-secret')).filter((t) => t.unmet);
    expect(failed.map((t) => t.turn)).toEqual([
      'answers a slash command #1',
      'answers a slash command #2',
      'answers a mention #1',
    ]);
    for (const t of failed) expect(t.unmet).toMatch(/^status 401: .*signature does not match/);
  });
});
