// Runs slack-clicks.cases.ts against the plugin in Backstage's test backend with Slack
// configured, on the API stand-in and the Slack Web API stand-in: each spoiled click gets
// its status and a reply naming what is wrong and what to do, and the stand-in's request
// log shows no write. Clicks are signed as Slack documents (test-kit's clicks.ts).
import request from 'supertest';
import { inMemoryKnex } from '@greenlight/backstage-plugin-greenlight-dev/node-sqlite';
import { entity, startBackendInstance } from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn, type StandIn } from '@greenlight/test-kit/cluster/backstage';
import { startSlackStandIn, type SlackStandIn } from '@greenlight/test-kit/stand-ins/slack';
import { clickBody, signed, type ClickOptions } from '@greenlight/test-kit/stand-ins/slack/clicks';
import { missing } from './expect-error.ts';
import {
  SLACK_CLICK_CASES,
  SLACK_CLICK_CLUSTER,
  type SlackClickCase,
} from './slack-clicks.cases.ts';

const TOKEN = 'xoxb-2-greenlight-corpus';
const SECRET = 'corpus-signing-secret';
const CHANNEL = 'C0CORPUS';
const INTERACTIONS = '/api/greenlight/slack/interactions';
const database = inMemoryKnex();
let standIn: StandIn;
let slack: SlackStandIn;
let backend: Awaited<ReturnType<typeof startBackendInstance>>;
let goodValue: Record<string, string>;

beforeAll(async () => {
  standIn = await startStandIn();
  standIn.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: SLACK_CLICK_CLUSTER.revision,
    promotedRevision: SLACK_CLICK_CLUSTER.promoted,
  });
  await standIn.startTraffic();
  slack = await startSlackStandIn({ token: TOKEN, channels: [CHANNEL] });
  backend = await startBackendInstance({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: [entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` })],
    database,
    config: {
      slack: {
        botToken: TOKEN,
        signingSecret: SECRET,
        apiUrl: slack.apiUrl,
        updateIntervalSeconds: 1,
        channels: [
          { namespace: NS, channel: CHANNEL, approvers: { users: [SLACK_CLICK_CLUSTER.approver] } },
        ],
      },
    },
  });
  goodValue = JSON.parse(await buttonValue()) as Record<string, string>;
});

afterAll(async () => {
  await backend.stop();
  await database.destroy();
  await Promise.all([standIn.close(), slack.close()]);
});

async function buttonValue(): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const actions = slack.messages[0]?.blocks?.find(
      (block) => (block as { type: string }).type === 'actions',
    ) as { elements: { value: string }[] } | undefined;
    if (actions) return actions.elements[0]!.value;
    if (Date.now() > deadline) throw new Error('no message with buttons was posted');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let sent = 0;
/** The click of `row`: the good one, spoiled as the row says. */
function clickOf(row: Pick<SlackClickCase, 'spoil'>, id: string) {
  const { spoil } = row;
  const value =
    typeof spoil.value === 'string'
      ? spoil.value
      : JSON.stringify({ ...goodValue, ...spoil.value });
  const body =
    spoil.body ??
    clickBody({
      action: (spoil.action ?? 'greenlight_approve') as ClickOptions['action'],
      value,
      user: spoil.user ?? SLACK_CLICK_CLUSTER.approver,
      team: 'T0ACME',
      responseUrl: slack.responseUrl(id),
    });
  const at = Math.floor(Date.now() / 1000) - (spoil.ageSeconds ?? 0);
  const headers = spoil.unsigned
    ? { 'content-type': 'application/x-www-form-urlencoded' }
    : signed(body, spoil.secret ?? SECRET, at).headers;
  return { body: spoil.tampered ? body.replace('U0ALICE', 'U0MALLORY') : body, headers };
}

const post = ({ body, headers }: ReturnType<typeof clickOf>) =>
  request(backend.server).post(INTERACTIONS).set(headers).send(body);

async function replyTo(id: string): Promise<string> {
  const deadline = Date.now() + 5000;
  while (!slack.replies.some((reply) => reply.id === id)) {
    if (Date.now() > deadline) return '(no reply on the response_url)';
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return String(slack.replies.find((reply) => reply.id === id)!.body.text);
}

test.each(SLACK_CLICK_CASES)(
  '$name: $status, nothing written, saying what is wrong and what to do',
  async (row) => {
    const id = `case-${++sent}`;
    let click = clickOf(row, id);
    if (row.spoil.replayed) {
      // An earlier click of a non-approver: signed and read (refused), then sent again.
      click = clickOf({ spoil: { user: 'U0MALLORY' } }, id);
      await post(click).expect(200);
      await replyTo(id);
    }
    const writesBefore = standIn.api.writes().length;
    const res = await post(click);
    const text = res.status === 200 ? await replyTo(id) : String(res.body?.text ?? res.text);
    expect([res.status, missing(text, row.says), text]).toEqual([row.status, [], text]);
    if (res.status !== 200) expect(res.body.response_type).toBe('ephemeral');
    expect(standIn.api.writes().slice(writesBefore)).toEqual([]);
  },
);

test('the same backend approves on a good click (the cases above are not refused for another reason)', async () => {
  const id = `case-${++sent}`;
  await post(clickOf({ spoil: {} }, id)).expect(200);
  expect(await replyTo(id)).toMatch(/You approved revision c0ffee1/);
  expect(standIn.api.writes().length).toBeGreaterThan(0);
});
