// Flagger's alerts under the real Flagger (issue 17): the Canary and AlertProviders core
// renders for `alerts`, each webhook URL only in a Secret's address key, and Flagger —
// started with -cluster-name, as its chart's clusterName value starts it — posting to a
// stand-in for Slack's incoming webhook (harness/slack-webhook.ts), which refuses what Slack
// would. One destination takes every alert, one only errors: a first deploy is announced to
// the first, a bad revision's analysis to the first and its failure to both.
import type { KubernetesObject } from '@kubernetes/client-node';
import { renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { chatbotDeployment } from '../harness/chatbot.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { scenario } from '../harness/report.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import {
  startSlackWebhook,
  type SlackMessage,
  type SlackWebhook,
} from '../harness/slack-webhook.ts';

const NAME = 'alerted';
const CLUSTER = 'e2e-eu-1';

let plane: ControlPlane;
let rollout: RolloutWatch;
/** Every alert (severity info) and errors only, each behind its own Secret. */
let all: SlackWebhook;
let errors: SlackWebhook;

const secret = (name: string, address: string) =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: FUNCTIONS_NAMESPACE },
    stringData: { address },
  }) as KubernetesObject;

function canaryObjects(): KubernetesObject[] {
  const options = resolveCanaryOptions({
    namespace: FUNCTIONS_NAMESPACE,
    provider: 'linkerd',
    interval: '10s',
    stepWeight: 50,
    maxWeight: 50,
    threshold: 2,
    alerts: 'slack:rollouts-webhook#deploys, slack:oncall-webhook#oncall@error',
    clusterName: CLUSTER,
  });
  return renderCanary({ name: NAME }, options) as KubernetesObject[];
}

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd', clusterName: CLUSTER });
  [all, errors] = await Promise.all([startSlackWebhook(), startSlackWebhook()]);
  await plane.kube.apply(secret('rollouts-webhook', all.url));
  await plane.kube.apply(secret('oncall-webhook', errors.url));
  rollout = await RolloutWatch.start(plane, NAME);
  await plane.kube.apply(
    chatbotDeployment({ name: NAME, revision: 'rev-1' }) as unknown as KubernetesObject,
  );
  // AlertProviders first, as the action applies them.
  const [canary, ...rest] = canaryObjects();
  for (const object of [...rest, canary!]) await plane.kube.apply(object);
  await rollout.until('Initialized');
  plane.mesh.users.setRate(NAME, 10);
}, 240_000);

afterAll(async () => {
  rollout?.stop();
  await Promise.all([all?.close(), errors?.close()]);
  await plane?.stop();
});

const report = () => ({ plane, rollout });

/** Waits until `hook` accepted a message whose text matches `text`. */
async function posted(hook: SlackWebhook, text: RegExp, timeoutMs = 60_000): Promise<SlackMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = hook.messages.find((m) => text.test(m.attachments?.[0]?.text ?? ''));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = hook.messages.map((m) => m.attachments?.[0]?.text).join(' | ');
      throw new Error(
        `no alert matching ${text} in ${timeoutMs} ms; accepted: ${seen || 'none'}; refused: ${hook.refused.join(', ') || 'none'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const field = (message: SlackMessage, title: string) =>
  message.attachments?.[0]?.fields?.find((f) => f.title === title)?.value;

scenario(
  "a first deploy is announced as Slack takes it: the canary, the cluster, Greenlight's channel and sender",
  report,
  async () => {
    const message = await posted(all, /^New Deployment detected, initialization completed\.$/);
    expect(all.refused).toEqual([]);
    expect(message.attachments?.[0]?.author_name).toBe(`${NAME}.${FUNCTIONS_NAMESPACE}`);
    expect(field(message, 'Cluster')).toBe(CLUSTER);
    expect(field(message, 'Target')).toBe(`Deployment/${NAME}.${FUNCTIONS_NAMESPACE}`);
    expect(message.username).toBe(`Flagger (${CLUSTER})`);
    expect(message.channel).toBe('deploys');
    // Info is below the errors-only destination's severity.
    expect(errors.messages).toEqual([]);
  },
);

scenario(
  "a bad revision's analysis reaches every-alert, its failure both destinations",
  report,
  async () => {
    const from = rollout.phases.length;
    await plane.kube.apply(
      chatbotDeployment({
        name: NAME,
        revision: 'rev-2',
        faults: ['fail-questions'],
      }) as unknown as KubernetesObject,
    );
    await rollout.until(
      (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
      180_000,
    );
    const started = await posted(all, /^New revision detected, progressing canary analysis\.$/);
    expect(field(started, 'Cluster')).toBe(CLUSTER);
    expect(field(started, 'Traffic routing')).toBe('Weight step: 50 max: 50');
    const failed = await posted(errors, /^Failed checks threshold reached \d+$/);
    expect(failed.attachments?.[0]?.author_name).toBe(`${NAME}.${FUNCTIONS_NAMESPACE}`);
    expect(field(failed, 'Cluster')).toBe(CLUSTER);
    expect(failed.channel).toBe('oncall');
    await posted(all, /^Failed checks threshold reached \d+$/);
    // The errors-only destination got errors alone.
    expect(errors.messages.map((m) => m.attachments?.[0]?.text)).toEqual([
      failed.attachments?.[0]?.text,
    ]);
    expect([...all.refused, ...errors.refused]).toEqual([]);
  },
);
