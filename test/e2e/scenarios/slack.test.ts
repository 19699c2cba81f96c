// Approve from Slack on the real control plane: the Backstage backend (Backstage's test
// backend with the real plugin) posts the rollout's message to a Slack Web API stand-in
// (test-kit/src/stand-ins/slack) and edits it while the real Flagger analyses rev-2; a click
// on its Approve button, signed as Slack signs it, writes the approval, the gate answers
// Flagger's confirm-promotion, Flagger promotes, and the message says so.
import type { Canary } from 'flagger-types';
import request from 'supertest';
import { inMemoryKnex } from '../../../backstage-plugin/dev/src/node-sqlite.ts';
import { entity, startBackendInstance } from '../../../test-kit/src/backstage/backend.ts';
import {
  startSlackStandIn,
  type SlackStandIn,
} from '../../../test-kit/src/stand-ins/slack/slack-stand-in.ts';
import { clickBody, signed } from '../../../test-kit/src/stand-ins/slack/clicks.ts';
import { deploy, deploymentRevision } from '../harness/chatbot.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { scenario as withReport } from '../harness/report.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';

const NAME = 'chatbot';
const TOKEN = 'xoxb-3-greenlight-e2e';
const SECRET = 'e2e-signing-secret';
const CHANNEL = 'C0E2EBOTS';
const APPROVER = 'U0RELEASE';
const database = inMemoryKnex();

let plane: ControlPlane;
let rollout: RolloutWatch;
let slack: SlackStandIn;
let backend: Awaited<ReturnType<typeof startBackendInstance>>;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  plane.mesh.users.setRate(NAME, 10);
  slack = await startSlackStandIn({ token: TOKEN, channels: [CHANNEL] });
  backend = await startBackendInstance({
    kubeconfig: plane.apiserver.adminKubeconfig,
    prometheusUrl: plane.prometheus.url,
    entities: [entity(NAME, { 'greenlight.dev/canary': `${FUNCTIONS_NAMESPACE}/${NAME}` })],
    database,
    config: {
      metrics: { source: 'prometheus' },
      slack: {
        botToken: TOKEN,
        signingSecret: SECRET,
        apiUrl: slack.apiUrl,
        updateIntervalSeconds: 2,
        channels: [
          { namespace: FUNCTIONS_NAMESPACE, channel: CHANNEL, approvers: { users: [APPROVER] } },
        ],
      },
    },
  });
}, 240_000);

afterAll(async () => {
  await backend?.stop();
  await database.destroy();
  await slack?.close();
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);

const messagesOf = (revision: string) =>
  slack.messages.filter((m) => m.text?.startsWith(`${NAME} revision ${revision} `));

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

scenario(
  'a signed Approve click in the rollout message approves rev-2, Flagger promotes it, and the one message says so',
  async () => {
    await deploy(plane, { name: NAME, revision: 'rev-1' });
    await rollout.until('Initialized');
    await deploy(plane, { name: NAME, revision: 'rev-2' });
    await rollout.until('WaitingPromotion');

    const buttons = () =>
      messagesOf('rev-2')[0]?.blocks?.find((b) => (b as { type: string }).type === 'actions') as
        { elements: { value: string }[] } | undefined;
    await until(() => buttons() !== undefined, 'a message with Approve for rev-2');
    const body = clickBody({
      action: 'greenlight_approve',
      value: buttons()!.elements[0]!.value,
      user: APPROVER,
      team: 'T0ACME',
      responseUrl: slack.responseUrl('approve'),
    });
    const { headers } = signed(body, SECRET);
    await request(backend.server)
      .post('/api/greenlight/slack/interactions')
      .set(headers)
      .send(body)
      .expect(200);
    await until(() => slack.replies.some((r) => r.id === 'approve'), 'the reply to the click');
    expect(slack.replies.find((r) => r.id === 'approve')?.body.text).toMatch(
      /You approved revision rev-2/,
    );

    await rollout.until('Succeeded', 120_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
    const canary = await plane.kube.get<Canary & { kind: string }>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: FUNCTIONS_NAMESPACE,
      name: NAME,
    });
    expect(canary?.metadata?.annotations).toMatchObject({
      'greenlight.dev/approved-revision': 'rev-2',
      'greenlight.dev/approved-by': 'e2e-admin',
      'greenlight.dev/approved-note': `slack:T0ACME/${APPROVER}`,
    });
    await until(
      () =>
        messagesOf('rev-2')[0]?.text?.endsWith(`promoted, approved by slack:T0ACME/${APPROVER}`) ===
        true,
      'the message saying rev-2 was promoted',
    );
    expect(messagesOf('rev-2')).toHaveLength(1);
    expect(slack.calls.filter((call) => call.error)).toEqual([]);
  },
);
