import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { configFromEnv, handle, type ChatbotConfig } from '../../../examples/chatbot/index.ts';
import {
  checkProbesAgainstStack,
  loadProbeFile,
  loadStack,
  renderFunctionObjects,
  runProbe,
  type FunctionProbe,
  type ProbeFile,
} from '../src/index.ts';

// examples/chatbot/probes.yml stays true: every turn, sent by the prober's own runProbe (Slack
// turns signed as Slack signs them) to the real example chatbot's handle(), gets the reply it
// expects from a healthy blue or green version, and a version with a reply bug fails it.
// fetch is handle() called in-process: the request and reply are the ones the bot's HTTP
// server would carry (probes-run.test.ts runs the same file over real HTTP).

const probesFile = fileURLToPath(new URL('../../../examples/chatbot/probes.yml', import.meta.url));
const stackFile = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));
const SECRET = 'the-bots-signing-secret';
const REVISION = '3f2c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a';

async function example(): Promise<ProbeFile> {
  const file = await loadProbeFile(probesFile);
  if (!file) throw new Error(`${probesFile} is missing`);
  return file;
}

/** fetch answered by the chatbot's handle(), as its server answers a POST. */
function handledBy(config: ChatbotConfig): typeof fetch {
  return async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const reply = handle(
      {
        method: init?.method ?? 'GET',
        path: new URL(String(input)).pathname,
        headers,
        body: String(init?.body ?? ''),
        now: Math.floor(Date.now() / 1000),
      },
      config,
    );
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };
}

/** Each turn of the example's probe, run alone against a chatbot configured by `env`. */
async function converse(env: NodeJS.ProcessEnv, signingSecret = SECRET) {
  const config = configFromEnv({ BOT_REVISION: REVISION, SLACK_SIGNING_SECRET: SECRET, ...env });
  const probe = (await example()).functions.chatbot!;
  const turns = probe.conversations.flatMap((conversation) =>
    conversation.turns.map((turn, i) => ({ conversation, turn, i })),
  );
  return Promise.all(
    turns.map(async ({ conversation, turn, i }) => {
      const alone: FunctionProbe = {
        ...probe,
        conversations: [{ ...conversation, turns: [turn] }],
      };
      const run = await runProbe(alone, {
        baseUrl: 'http://chatbot-canary.openfaas-fn:8080',
        rounds: 1,
        signingSecret,
        fetch: handledBy(config),
      });
      return { turn: `${conversation.name} #${i + 1}`, unmet: run.failure?.reason };
    }),
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

  it('signs with a Secret the function mounts: stack.yml secrets:, as its Deployment projects it', async () => {
    const secret = (await example()).functions.chatbot!.signingSecret!.secret;
    const fn = (await loadStack(stackFile, {})).functions.chatbot!;
    expect(fn.secrets).toContain(secret);
    const { deployment } = renderFunctionObjects(fn, { namespace: 'openfaas-fn', image: fn.image });
    const pod = deployment.spec!.template.spec!;
    const sources = pod.volumes!.flatMap((v) => v.projected?.sources ?? []);
    expect(sources).toContainEqual({ secret: { name: secret } });
    expect(pod.containers[0]!.volumeMounts).toContainEqual(
      expect.objectContaining({ mountPath: '/var/openfaas/secrets', readOnly: true }),
    );
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
        unmet: 'does not contain "says: hello @probe!"',
      },
    ]);
  });

  it('fails on a version that cannot answer questions (DEMO_FAULT=fail-questions)', async () => {
    const failed = (await converse({ DEMO_FAULT: 'fail-questions' })).filter((t) => t.unmet);
    expect(failed).toEqual([
      { turn: 'answers a slash command #2', unmet: 'status 500, expected 200' },
    ]);
  });

  it('fails every Slack turn when signed with another secret than the bot’s', async () => {
    const failed = (await converse({}, 'not-the-bots-secret')).filter((t) => t.unmet);
    expect(failed.map((t) => t.turn)).toEqual([
      'answers a slash command #1',
      'answers a slash command #2',
      'answers a mention #1',
    ]);
    for (const t of failed) expect(t.unmet).toBe('status 401, expected 200');
  });
});
