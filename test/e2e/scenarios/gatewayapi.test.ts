// The Gateway API provider, Greenlight's default (`gatewayapi:v1`, Linkerd ≥ 2.14): Flagger
// writes an HTTPRoute gateway.networking.k8s.io/v1 instead of a TrafficSplit, and its builtin
// metrics would not query Linkerd, so the analysis runs on the MetricTemplates Greenlight
// renders with Linkerd's queries — here evaluated by the real Prometheus. Then testers first
// (Flagger's A/B testing: the route's match) and sticky conversations (sessionAffinity: the
// Set-Cookie filter and the cookie rule), each as the real Flagger writes its HTTPRoute.
import { request } from 'node:http';
import type { HTTPRoute, MetricTemplate } from 'flagger-types';
import { approve, liveWeights } from '@greenlight/core';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploy, deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import { scenario as withReport } from '../harness/report.ts';

const NAME = 'webchat';
const PROVIDER = 'gatewayapi';

let plane: ControlPlane;
let rollout: RolloutWatch;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'gatewayapi:v1' });
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's HTTPRoute.
  plane.mesh.users.setRate(NAME, 10);
}, 180_000);

afterAll(async () => {
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);
const route = () =>
  plane.kube.get<HTTPRoute>({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    namespace: FUNCTIONS_NAMESPACE,
    name: NAME,
  });

scenario('the first deploy initializes with an HTTPRoute on the apex Service', async () => {
  await deploy(plane, { name: NAME, revision: 'rev-1', provider: PROVIDER });
  await rollout.until('Initialized');
  expect(rollout.canary?.spec.provider).toBe('gatewayapi:v1');

  const found = await route();
  expect(found && liveWeights(rollout.canary!, found)).toMatchObject({
    blue: 100,
    green: 0,
    source: 'route',
  });
  expect(found?.spec?.parentRefs).toEqual([
    expect.objectContaining({ name: NAME, kind: 'Service' }),
  ]);
  expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
});

scenario(
  "a good version passes Greenlight's MetricTemplates, waits for approval and is promoted",
  async () => {
    await deploy(plane, { name: NAME, revision: 'rev-2', provider: PROVIDER });
    await rollout.until('WaitingPromotion');

    const found = await route();
    expect(found && liveWeights(rollout.canary!, found)).toMatchObject({ blue: 50, green: 50 });
    const templates = await plane.kube.list<MetricTemplate>(
      { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate' },
      FUNCTIONS_NAMESPACE,
    );
    expect(templates.map((t) => t.metadata?.name).sort()).toEqual([
      `${NAME}-latency`,
      `${NAME}-success-rate`,
    ]);

    await approve(plane.kube, { namespace: FUNCTIONS_NAMESPACE, name: NAME }, { note: 'e2e' });
    await rollout.until('Succeeded');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
  },
);

// Gateway API HTTPRoute rules as Flagger v1.44's GatewayAPIRouter writes them (the fields read).
interface Rule {
  matches?: { headers?: { type?: string; name: string; value: string }[] }[];
  backendRefs?: {
    name: string;
    weight?: number;
    filters?: {
      type: string;
      responseHeaderModifier?: { add?: { name: string; value: string }[] };
    }[];
  }[];
}
const rules = async () => ((await route())?.spec?.rules ?? []) as Rule[];
const weightsOf = (rule: Rule | undefined) =>
  Object.fromEntries((rule?.backendRefs ?? []).map((b) => [b.name, b.weight]));
const TESTER = { 'X-Slack-Team-Id': 'T0TESTERS' };

/** One web-chat message to the apex Service through the mesh, as a user's client sends it. */
function say(message: string, headers: Record<string, string> = {}): Promise<string> {
  const proxy = new URL(plane.mesh.url);
  const host = `${NAME}.${FUNCTIONS_NAMESPACE}:8080`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: proxy.hostname,
        port: proxy.port,
        method: 'POST',
        path: `http://${host}/`,
        headers: { ...headers, host, 'content-type': 'application/json' },
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.once('end', () => resolve(`${res.statusCode} ${body}`));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end(JSON.stringify({ message }));
  });
}

scenario(
  "testers first: the HTTPRoute sends the marked team's requests to the new version, everyone else's to the old, then it is promoted",
  async () => {
    const from = rollout.phases.length;
    plane.mesh.users.setRate(NAME, 5, FUNCTIONS_NAMESPACE, TESTER);
    await deploy(plane, {
      name: NAME,
      revision: 'rev-3',
      provider: PROVIDER,
      options: { testersHeader: 'X-Slack-Team-Id=T0TESTERS', testersIterations: 2 },
    });
    await rollout.until(
      (phase) => phase === 'WaitingPromotion' && rollout.since(from).includes('Progressing'),
      120_000,
    );
    expect(rollout.canary?.spec.analysis).toMatchObject({
      iterations: 2,
      match: [{ headers: { 'X-Slack-Team-Id': { exact: 'T0TESTERS' } } }],
    });

    // pkg/router/gateway_api.go: the match rule first (both backends, green at 100 during
    // the run), then everyone else's rule with blue alone.
    const [testers, others, ...more] = await rules();
    expect(more).toEqual([]);
    expect(testers?.matches).toEqual([
      expect.objectContaining({
        headers: [{ type: 'Exact', name: 'X-Slack-Team-Id', value: 'T0TESTERS' }],
      }),
    ]);
    expect(weightsOf(testers)).toEqual({ [`${NAME}-primary`]: 0, [`${NAME}-canary`]: 100 });
    expect(weightsOf(others)).toEqual({ [`${NAME}-primary`]: 100 });
    expect(others?.matches?.every((m) => !m.headers?.length)).toBe(true);

    // Every reply names the revision that answered it: the marked team's reach rev-3, the
    // rest rev-2 (the stand-in mesh takes the rule a request's headers match, as Linkerd does).
    for (let i = 0; i < 10; i++) {
      expect(await say('version', TESTER)).toMatch(/\(rev-3\) says/);
      expect(await say('version')).toMatch(/\(rev-2\) says/);
    }
    expect(plane.mesh.users.replies(NAME, FUNCTIONS_NAMESPACE, TESTER)[200]).toBeGreaterThan(0);

    await approve(plane.kube, { namespace: FUNCTIONS_NAMESPACE, name: NAME }, { note: 'e2e' });
    await rollout.until('Succeeded');
    plane.mesh.users.setRate(NAME, 0, FUNCTIONS_NAMESPACE, TESTER);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-3');
  },
);

scenario(
  'sticky conversations: green sets a cookie on its replies and the HTTPRoute sends that cookie back to green',
  async () => {
    const from = rollout.phases.length;
    await deploy(plane, {
      name: NAME,
      revision: 'rev-4',
      provider: PROVIDER,
      options: { stickyCookie: 'greenlight-version', stickyMaxAge: 600 },
    });
    await rollout.until(
      (phase) => phase === 'WaitingPromotion' && rollout.since(from).includes('Progressing'),
      120_000,
    );
    expect(rollout.canary?.spec.analysis?.sessionAffinity).toEqual({
      cookieName: 'greenlight-version',
      maxAge: 600,
    });

    // getSessionAffinityRouteRules: the sticky rule (a regex on the Cookie header, green at
    // 100) before the weighted one, whose green backend adds the Set-Cookie response header.
    const [sticky, weighted, ...more] = await rules();
    expect(more).toEqual([]);
    const [cookieMatch] = sticky?.matches?.[0]?.headers ?? [];
    expect(cookieMatch).toMatchObject({ type: 'RegularExpression', name: 'Cookie' });
    const value = /^\.\*greenlight-version\.\*([A-Za-z]+)\.\*$/.exec(cookieMatch?.value ?? '')?.[1];
    expect(value).toBeTruthy();
    expect(weightsOf(sticky)).toEqual({ [`${NAME}-primary`]: 0, [`${NAME}-canary`]: 100 });
    expect(weightsOf(weighted)).toEqual({ [`${NAME}-primary`]: 50, [`${NAME}-canary`]: 50 });
    const green = weighted?.backendRefs?.find((b) => b.name === `${NAME}-canary`);
    expect(green?.filters).toEqual([
      {
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: {
          add: [{ name: 'Set-Cookie', value: `greenlight-version=${value}; Max-Age=600` }],
        },
      },
    ]);
    // Blue sets none: only primaryCookieName would make it (Greenlight renders none).
    const blue = weighted?.backendRefs?.find((b) => b.name === `${NAME}-primary`);
    expect(blue?.filters ?? []).toEqual([]);

    await approve(plane.kube, { namespace: FUNCTIONS_NAMESPACE, name: NAME }, { note: 'e2e' });
    await rollout.until('Succeeded');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-4');
  },
);

// Last: its failed replies stay in the metrics' 1m window, which a later analysis would read.
scenario(
  "a version failing the 30 % of messages that are questions fails Greenlight's success-rate template and is rolled back",
  async () => {
    const from = rollout.phases.length;
    await deploy(plane, {
      name: NAME,
      revision: 'rev-5',
      provider: PROVIDER,
      faults: ['fail-questions'],
    });
    await rollout.until(
      (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
      120_000,
    );

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-4');
    // scheduler_metrics.go, for a templateRef metric: "Halt %s.%s advancement %s %.2f < %v".
    const events = (await rollout.events()).join('\n');
    expect(events).toMatch(
      new RegExp(
        `Halt ${NAME}\\.${FUNCTIONS_NAMESPACE} advancement success-rate \\d+\\.\\d\\d < 99`,
      ),
    );
    expect(events).toMatch(/Rolling back .*failed checks threshold reached 2/);
  },
);
