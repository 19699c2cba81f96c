import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Knex } from 'knex';
import { inMemoryKnex } from '@greenlight/backstage-plugin-greenlight-dev/node-sqlite';
import request from 'supertest';
import { entity, startBackendInstance } from '@greenlight/test-kit/backstage/backend';
import type { AuditRecord } from '@greenlight/test-kit/backstage/backend';
import { canaryEvent, canaryOf, NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { ChatbotSpec, StandIn } from '@greenlight/test-kit/cluster/backstage';
import { startSlackStandIn } from '@greenlight/test-kit/stand-ins/slack';
import type { SlackMessageRecord, SlackStandIn } from '@greenlight/test-kit/stand-ins/slack';
import { clickBody, signed } from '@greenlight/test-kit/stand-ins/slack/clicks';
import type { ClickOptions } from '@greenlight/test-kit/stand-ins/slack/clicks';

// The live rollout message and its buttons, in Backstage's test backend against the API
// stand-in and a Slack Web API stand-in (test-kit/src/stand-ins/slack), with the plugin's
// database in SQLite (node:sqlite, as the dev app runs it), which outlives one backend: a
// second backend on it is a restart.

const TOKEN = 'xoxb-1-greenlight-test';
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const CHANNEL = 'C0CHATBOTS';
const TEAM = 'T0ACME';
const ALICE = 'U0ALICE';
const GROUPIE = 'U0GROUPIE';
const MALLORY = 'U0MALLORY';
const INTERACTIONS = '/api/greenlight/slack/interactions';

const chatbot = (spec: Partial<ChatbotSpec>, name = 'chatbot'): ChatbotSpec => ({
  name,
  phase: 'Progressing',
  greenWeight: 10,
  revision: 'c0ffee1',
  promotedRevision: 'beef001',
  ...spec,
});

let standIn: StandIn;

/** Deploys `spec` and writes its Canary's status as Flagger would (the /status subresource). */
function rollout(spec: ChatbotSpec): void {
  standIn.deploy(spec);
  standIn.api.store.putStatus(canaryOf(spec));
}
let slack: SlackStandIn;
let database: Knex;
let backend: Awaited<ReturnType<typeof startBackendInstance>>;
const audit: AuditRecord[] = [];

const start = () =>
  startBackendInstance({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: ['chatbot', 'faq-bot'].map((name) =>
      entity(name, { 'greenlight.dev/canary': `${NS}/${name}` }),
    ),
    audit,
    database,
    config: {
      slack: {
        botToken: TOKEN,
        signingSecret: SECRET,
        apiUrl: slack.apiUrl,
        updateIntervalSeconds: 1,
        channels: [
          {
            namespace: NS,
            channel: CHANNEL,
            approvers: { users: [ALICE], userGroups: ['S0RELEASE'] },
          },
        ],
      },
    },
  });

beforeAll(async () => {
  standIn = await startStandIn();
  rollout(chatbot({}));
  rollout(chatbot({ revision: 'f00d002', promotedRevision: 'f00d001' }, 'faq-bot'));
  // The prober's Events, as it records them (core's probeRunEvent wording).
  const probed = (canary: string, id: string, reason: string, text: string) => ({
    ...canaryEvent(canary, id, reason, text, new Date().toISOString()),
    source: { component: 'greenlight-probe' },
  });
  standIn.api.store.put(
    probed(
      'chatbot',
      'p1',
      'ProbePassed',
      'rollout probe of revision c0ffee1: 10 requests in 42 ms',
    ),
  );
  standIn.api.store.put(
    probed(
      'faq-bot',
      'p2',
      'ProbeFailed',
      'pre-rollout probe of revision f00d002 failed: turn 1: reply <b>Bye</b> does not contain "Hi"',
    ),
  );
  await standIn.startTraffic();
  slack = await startSlackStandIn({
    token: TOKEN,
    channels: [CHANNEL],
    userGroups: { S0RELEASE: [GROUPIE] },
  });
  database = inMemoryKnex();
  backend = await start();
});

afterAll(async () => {
  await backend.stop();
  await database.destroy();
  await Promise.all([standIn.close(), slack.close()]);
});

const canary = (name = 'chatbot') =>
  standIn.api.store.get({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary' }, NS, name);
const annotations = (name = 'chatbot') => canary(name)?.metadata.annotations ?? {};
const messagesOf = (name: string) =>
  slack.messages.filter((m) => m.text?.startsWith(`${name} revision `));
/** The one message of `name`'s rollouts. */
const message = (name = 'chatbot'): SlackMessageRecord => {
  expect(messagesOf(name)).toHaveLength(1);
  return messagesOf(name)[0]!;
};
const shows = (text: string, name = 'chatbot') =>
  messagesOf(name).length === 1 && JSON.stringify(messagesOf(name)[0]!.blocks).includes(text);
const posts = () => slack.calls.filter((call) => call.method === 'chat.postMessage');
const buttonValue = (name = 'chatbot'): string => {
  const actions = message(name).blocks?.find((b) => (b as { type: string }).type === 'actions') as
    { elements: { value: string }[] } | undefined;
  if (!actions) throw new Error('the message has no buttons');
  return actions.elements[0]!.value;
};

let clicks = 0;
async function click(
  options: Partial<ClickOptions>,
  sign: (body: string) => Record<string, string> = (body) => signed(body, SECRET).headers,
) {
  const id = `click-${++clicks}`;
  const body = clickBody({
    action: 'greenlight_approve',
    user: ALICE,
    team: TEAM,
    responseUrl: slack.responseUrl(id),
    ...options,
    value: options.value ?? buttonValue(),
  });
  const headers = sign(body);
  const res = await request(backend.server).post(INTERACTIONS).set(headers).send(body);
  return { res, id, body, headers };
}

async function replyTo(id: string): Promise<string> {
  await waitFor(() => slack.replies.some((reply) => reply.id === id));
  const reply = slack.replies.find((r) => r.id === id)!.body;
  expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  return String(reply.text);
}

describe('the live rollout message', () => {
  test('posts one message for the rollout, with function, revision and commit, weight, blue beside green, probes', async () => {
    await waitFor(() => shows('green 10%') && shows('green 10%', 'faq-bot'));
    const posted = message();
    expect(posted.channel).toBe(CHANNEL);
    expect(posted.text).toBe('chatbot revision c0ffee1 (openfaas-fn, sandbox): progressing');
    for (const part of [
      'openfaas-fn/chatbot',
      '`c0ffee1` replacing `beef001`',
      'blue: success',
      'green: success',
      'p99',
      'Probes',
    ]) {
      expect(shows(part)).toBe(true);
    }
    expect(shows('rollout: passed, 10 requests in 42 ms')).toBe(true);
    // A bot's reply in a probe failure is text, never Slack markup.
    expect(
      shows(
        'pre-rollout: failed: turn 1: reply &lt;b&gt;Bye&lt;/b&gt; does not contain \\"Hi\\"',
        'faq-bot',
      ),
    ).toBe(true);
    // Every call Slack's way: authenticated, with what each method requires.
    expect(slack.calls.filter((call) => call.error)).toEqual([]);
  });

  test('follows the rollout by updating that message in place, at most once a round, and survives a restart', async () => {
    await backend.stop();
    rollout(chatbot({ greenWeight: 30 }));
    backend = await start();
    await waitFor(() => shows('green 30%'));
    const { ts } = message();
    // One post per rollout (chatbot, faq-bot), across the restart.
    expect(posts()).toHaveLength(2);
    const updates = () => slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === ts);
    expect(updates().length).toBeGreaterThan(0);
    expect(updates().every((call) => call.args.channel === CHANNEL)).toBe(true);
    // Debounced: over 3 s of rounds 1 s apart, at most one update a round, whatever changed.
    const before = updates().length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(updates().length - before).toBeLessThanOrEqual(4);
    expect(posts()).toHaveLength(2);
  });

  test('carries Approve and Roll back buttons bound to the revision and analysis while Flagger waits', async () => {
    rollout(chatbot({ phase: 'WaitingPromotion', greenWeight: 50 }));
    await waitFor(() => shows('greenlight_approve'));
    expect(JSON.parse(buttonValue())).toEqual({
      cluster: 'sandbox',
      namespace: NS,
      name: 'chatbot',
      revision: 'c0ffee1',
      checksum: expect.any(String),
      analysis: '2026-01-10T10:00:00Z',
    });
    expect(message().text).toMatch(/waiting for approval$/);
  });
});

describe('clicks refused, nothing written', () => {
  const unchanged = async (run: () => Promise<void>) => {
    const writes = standIn.api.writes().length;
    await run();
    expect(standIn.api.writes()).toHaveLength(writes);
    expect(annotations()['greenlight.dev/approved-revision']).toBeUndefined();
  };

  test('unsigned', () =>
    unchanged(async () => {
      const { res } = await click({}, () => ({
        'content-type': 'application/x-www-form-urlencoded',
      }));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        response_type: 'ephemeral',
        text: 'Greenlight refused this request: the request is not signed by Slack (no X-Slack-Signature): send clicks through the Slack app whose interactivity URL this is',
      });
    }));

  test('forged: signed with another secret', () =>
    unchanged(async () => {
      const { res } = await click({}, (body) => signed(body, 'not-the-signing-secret').headers);
      expect(res.status).toBe(401);
      expect(res.body.text).toMatch(/not signed by Slack \(a wrong signature\)/);
    }));

  test('forged: a signed body altered on the way', () =>
    unchanged(async () => {
      const { res } = await click(
        {},
        (body) => signed(body.replace(ALICE, MALLORY), SECRET).headers,
      );
      expect(res.status).toBe(401);
    }));

  test('stale: signed more than five minutes ago', () =>
    unchanged(async () => {
      const sixMinutesAgo = Math.floor(Date.now() / 1000) - 301;
      const { res } = await click({}, (body) => signed(body, SECRET, sixMinutesAgo).headers);
      expect(res.status).toBe(401);
      expect(res.body.text).toMatch(/signed more than five minutes from now/);
    }));

  test('by someone who is no approver, told so where only they see it', () =>
    unchanged(async () => {
      const { res, id } = await click({ user: MALLORY });
      expect(res.status).toBe(200);
      expect(await replyTo(id)).toMatch(
        /did not approve: <@U0MALLORY> is not an approver of Canary openfaas-fn\/chatbot.*greenlight.slack.channels/,
      );
    }));

  test('for another revision than the one under analysis', () =>
    unchanged(async () => {
      const old = JSON.stringify({ ...JSON.parse(buttonValue()), revision: 'old0001' });
      const { id } = await click({ value: old });
      expect(await replyTo(id)).toMatch(
        /revision old0001 is not under analysis.*revision c0ffee1 is/,
      );
    }));

  test('for an earlier analysis run of the same revision', () =>
    unchanged(async () => {
      const earlier = JSON.stringify({
        ...JSON.parse(buttonValue()),
        analysis: '2026-01-09T08:00:00Z',
      });
      const { id } = await click({ value: earlier });
      expect(await replyTo(id)).toMatch(/is no longer the one under way/);
    }));

  test('on a button that is not Greenlight’s', () =>
    unchanged(async () => {
      const { id } = await click({ value: 'approve-everything' });
      expect(await replyTo(id)).toMatch(/not one of Greenlight's rollout messages/);
    }));
});

describe('a signed click by an approver', () => {
  let approval: Awaited<ReturnType<typeof click>>;

  test('approves the revision under analysis, as every other path does, noted slack:<team>/<user> and audited', async () => {
    approval = await click({});
    expect(approval.res.status).toBe(200);
    expect(await replyTo(approval.id)).toMatch(
      /You approved revision c0ffee1 of openfaas-fn\/chatbot/,
    );
    expect(annotations()).toMatchObject({
      'greenlight.dev/approved-revision': 'c0ffee1',
      'greenlight.dev/approved-note': `slack:${TEAM}/${ALICE}`,
      'greenlight.dev/approved-analysis': '2026-01-10T10:00:00Z',
    });
    expect(annotations()['greenlight.dev/approved-template']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(annotations()['greenlight.dev/approved-by']).not.toContain(ALICE);
    expect(audit).toContainEqual(
      expect.objectContaining({
        eventId: 'rollout-approve',
        outcome: 'success',
        meta: expect.objectContaining({ by: `slack:${TEAM}/${ALICE}`, revision: 'c0ffee1' }),
      }),
    );
    // The message drops its buttons and says who approved.
    await waitFor(() => !shows('greenlight_approve'));
    expect(message().text).toMatch(/approved by slack:T0ACME\/U0ALICE, promoting$/);
  });

  test('is refused when replayed, even within the five minutes', async () => {
    const writes = standIn.api.writes().length;
    const replayed = await request(backend.server)
      .post(INTERACTIONS)
      .set(approval.headers)
      .send(approval.body);
    expect(replayed.status).toBe(401);
    expect(replayed.body.text).toMatch(/received before \(a replay\)/);
    expect(standIn.api.writes()).toHaveLength(writes);
  });

  test('gives the message its outcome when Flagger promotes, still one message', async () => {
    const approved = annotations();
    rollout(
      chatbot({
        phase: 'Succeeded',
        greenWeight: 0,
        promotedRevision: 'c0ffee1',
        annotations: approved,
      }),
    );
    await waitFor(
      () => message().text?.endsWith('promoted, approved by slack:T0ACME/U0ALICE') === true,
    );
    expect(shows('greenlight_approve')).toBe(false);
    expect(posts()).toHaveLength(2);
  });
});

describe('Roll back', () => {
  test('by a member of an approvers user group asks Flagger to roll back that run (core abort)', async () => {
    rollout(
      chatbot(
        {
          phase: 'WaitingPromotion',
          greenWeight: 50,
          revision: 'f00d002',
          promotedRevision: 'f00d001',
        },
        'faq-bot',
      ),
    );
    await waitFor(() => shows('greenlight_rollback', 'faq-bot'));
    const { id } = await click({
      action: 'greenlight_rollback',
      user: GROUPIE,
      value: buttonValue('faq-bot'),
    });
    expect(await replyTo(id)).toMatch(
      /You asked Flagger to roll back revision f00d002 of openfaas-fn\/faq-bot/,
    );
    expect(annotations('faq-bot')).toMatchObject({
      'greenlight.dev/abort-revision': 'f00d002',
      'greenlight.dev/abort-note': `slack:${TEAM}/${GROUPIE}`,
    });
    expect(annotations('faq-bot')['greenlight.dev/approved-revision']).toBeUndefined();
  });

  test('a newer revision ends the old message (superseded, no buttons) and gets its own', async () => {
    rollout(chatbot({ revision: 'f00d003', promotedRevision: 'f00d001' }, 'faq-bot'));
    await waitFor(() => messagesOf('faq-bot').length === 2);
    const [old, next] = messagesOf('faq-bot');
    await waitFor(() => old!.text === 'faq-bot revision f00d002: superseded by revision f00d003');
    expect(JSON.stringify(old!.blocks)).not.toContain('greenlight_rollback');
    expect(next!.text).toMatch(/^faq-bot revision f00d003 /);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
