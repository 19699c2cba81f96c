import { probeRunEvent } from '@greenlight/core/probe-events';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import type { RolloutResponse } from '@greenlight/backstage-plugin-greenlight-common';
import { startBackend, entity } from '@greenlight/test-kit/backstage/backend';
import { canaryEvent, NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { StandIn } from '@greenlight/test-kit/cluster/backstage';

// The Rollout tab's probe runs come from the Events the backend's watch already holds: the
// prober's ProbePassed (Normal) and ProbeFailed (Warning) on the Canary (issue 15).

const ALICE = 'user:default/alice';
let standIn: StandIn;
let server: Awaited<ReturnType<typeof startBackend>>;

/** An Event as the prober records it: its component, Normal for a pass. */
function probeEvent(id: string, reason: string, message: string, at: string) {
  return {
    ...canaryEvent('chatbot', id, reason, message, at),
    type: reason === 'ProbePassed' ? 'Normal' : 'Warning',
    source: { component: 'greenlight-probe' },
  };
}

const FAILURE = {
  conversation: 'greets',
  turn: 1,
  request: 'webchat "hello"',
  reply: '200 {"reply":"Bye"}',
  reason: 'does not contain "Hello"',
};
// Worded as the prober words it.
const FAILED = probeRunEvent('rollout', 'c0ffee1', {
  ok: false,
  requests: 1,
  durationMs: 9,
  failure: FAILURE,
}).message;

beforeAll(async () => {
  standIn = await startStandIn();
  standIn.deploy({
    name: 'chatbot',
    phase: 'Progressing',
    greenWeight: 20,
    revision: 'c0ffee1',
    promotedRevision: 'beef001',
  });
  const put = (event: object) => standIn.api.store.put(event as never);
  put(
    probeEvent(
      'p0',
      'ProbePassed',
      'pre-rollout probe of revision beef001: 3 requests in 95 ms',
      '2026-01-10T09:00:00Z',
    ),
  );
  // Enough of Flagger's Events after it to push beef001's run out of the history shown.
  for (let i = 0; i < 120; i++) {
    const minute = String(i % 60).padStart(2, '0');
    put(canaryEvent('chatbot', `s${i}`, 'Synced', `step ${i}`, `2026-01-10T09:${minute}:30Z`));
  }
  put(
    probeEvent(
      'p1',
      'ProbePassed',
      'pre-rollout probe of revision c0ffee1: 3 requests in 120 ms',
      '2026-01-10T10:00:00Z',
    ),
  );
  put(probeEvent('p2', 'ProbeFailed', FAILED, '2026-01-10T10:05:00Z'));
  server = await startBackend({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: [entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` })],
  });
});

afterAll(async () => {
  await standIn.close();
});

const view = () =>
  request(server)
    .get(`/api/greenlight/rollouts/${NS}/chatbot`)
    .set('authorization', mockCredentials.user.header(ALICE));

test('shows per revision the last probe run: a failure with its turn, request and reply, a pass with requests and time', async () => {
  const res = await view();
  expect(res.status).toBe(200);
  const body = res.body as RolloutResponse;
  expect(body.probes).toEqual([
    {
      outcome: 'failed',
      webhook: 'rollout',
      revision: 'c0ffee1',
      failure: FAILURE,
      detail: FAILED.slice(FAILED.indexOf('conversation')),
      at: '2026-01-10T10:05:00Z',
      count: 1,
    },
    {
      outcome: 'passed',
      webhook: 'pre-rollout',
      revision: 'beef001',
      requests: 3,
      durationMs: 95,
      at: '2026-01-10T09:00:00Z',
      count: 1,
    },
  ]);
  // The history shows the newest 100 Events; beef001's run is read from all of them.
  expect(body.history).toHaveLength(100);
  expect(body.history.some((entry) => entry.message.includes('beef001'))).toBe(false);
});

test('reads the probe runs from the watch: no Kubernetes request per viewer', async () => {
  await view();
  const before = standIn.api.requestLog.filter((entry) => !entry.watch).length;
  for (let i = 0; i < 3; i++) expect((await view()).body.probes).toHaveLength(2);
  expect(standIn.api.requestLog.filter((entry) => !entry.watch)).toHaveLength(before);
});
