import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startBackend, entity } from '@greenlight/test-kit/backstage/backend';
import type { AuditRecord } from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { StandIn } from '@greenlight/test-kit/cluster/backstage';

const BOB = 'user:default/bob';
const entities = [entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` })];
const asBob = (req: request.Test) => req.set('authorization', mockCredentials.user.header(BOB));

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
  standIn.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: 'c0ffee1',
    promotedRevision: 'beef001',
  });
  await standIn.startTraffic();
});

afterAll(async () => {
  await standIn.close();
});

describe('without the permissions', () => {
  const audit: AuditRecord[] = [];
  let server: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    server = await startBackend({
      kubeconfig: standIn.kubeconfig,
      prometheusUrl: standIn.prometheus.url,
      entities,
      permission: AuthorizeResult.DENY,
      audit,
    });
  });

  test('the fleet lists no rollout', async () => {
    const res = await asBob(request(server).get('/api/greenlight/rollouts'));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  test('a rollout and its metrics are refused with 403 naming the permission', async () => {
    for (const path of [`/rollouts/${NS}/chatbot`, `/rollouts/${NS}/chatbot/metrics`]) {
      const res = await asBob(request(server).get(`/api/greenlight${path}`));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /you lack the permission greenlight.rollout.read on component:default\/chatbot/,
      );
    }
  });

  test('approve and abort are refused with 403, nothing is written, and the refusal is audited', async () => {
    const writesBefore = standIn.api.writes().length;
    for (const verb of ['approve', 'abort']) {
      const res = await asBob(
        request(server)
          .post(`/api/greenlight/rollouts/${NS}/chatbot/${verb}`)
          .send({ revision: 'c0ffee1' }),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toMatch(
        new RegExp(`greenlight.rollout.${verb} on component:default/chatbot`),
      );
    }
    expect(standIn.api.writes()).toHaveLength(writesBefore);
    // The refusals are audited with who asked, for which revision of which Canary.
    expect(audit.map(({ eventId, outcome, meta }) => ({ eventId, outcome, meta }))).toEqual(
      ['approve', 'abort'].map((verb) => ({
        eventId: `rollout-${verb}`,
        outcome: 'fail',
        meta: { canary: `${NS}/chatbot`, by: BOB, revision: 'c0ffee1' },
      })),
    );
    expect(audit.map((record) => record.error)).toEqual([
      expect.stringContaining('greenlight.rollout.approve'),
      expect.stringContaining('greenlight.rollout.abort'),
    ]);
  });
});

describe('with the permissions', () => {
  test('an abort is written and audited with who, which revision and which entity', async () => {
    const audit: AuditRecord[] = [];
    const server = await startBackend({
      kubeconfig: standIn.kubeconfig,
      prometheusUrl: standIn.prometheus.url,
      entities,
      audit,
    });
    const res = await asBob(
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/chatbot/abort`)
        .send({ revision: 'c0ffee1' }),
    );
    expect(res.status).toBe(200);
    const canary = standIn.api.store.get(
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
      NS,
      'chatbot',
    );
    expect(canary?.metadata.annotations).toMatchObject({
      'greenlight.dev/abort-revision': 'c0ffee1',
      'greenlight.dev/abort-note': `backstage:${BOB}`,
    });
    expect(audit).toEqual([
      {
        eventId: 'rollout-abort',
        outcome: 'success',
        meta: {
          canary: `${NS}/chatbot`,
          revision: 'c0ffee1',
          by: BOB,
          cluster: 'sandbox',
          entityRef: 'component:default/chatbot',
        },
      },
    ]);
    // Abort wins over approval (decide.ts): clear it so the approval test below stands alone.
    standIn.deploy({
      name: 'chatbot',
      phase: 'WaitingPromotion',
      greenWeight: 50,
      revision: 'c0ffee1',
      promotedRevision: 'beef001',
    });
  });

  test('an approval is audited with who, which revision and which entity', async () => {
    const audit: AuditRecord[] = [];
    const server = await startBackend({
      kubeconfig: standIn.kubeconfig,
      prometheusUrl: standIn.prometheus.url,
      entities,
      audit,
    });
    const res = await asBob(
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/chatbot/approve`)
        .send({ revision: 'c0ffee1' }),
    );
    expect(res.status).toBe(200);
    expect(audit).toEqual([
      {
        eventId: 'rollout-approve',
        outcome: 'success',
        meta: {
          canary: `${NS}/chatbot`,
          revision: 'c0ffee1',
          by: BOB,
          cluster: 'sandbox',
          entityRef: 'component:default/chatbot',
        },
      },
    ]);
  });
});

describe('when what the backend depends on is down', () => {
  test('an unreachable Kubernetes API is a 503 that names the cluster and what to check', async () => {
    const down = await startStandIn();
    await down.close();
    const server = await startBackend({
      kubeconfig: down.kubeconfig,
      prometheusUrl: standIn.prometheus.url,
      entities,
    });
    const res = await asBob(request(server).get('/api/greenlight/rollouts'));
    expect(res.status).toBe(503);
    expect(res.body.error.name).toBe('KubernetesUnavailableError');
    expect(res.body.error.message).toMatch(
      /cannot reach the Kubernetes API.*greenlight.clusters\["sandbox"\]/,
    );
  });

  test('an unreachable Prometheus leaves the fleet readable and says why metrics are missing', async () => {
    const server = await startBackend({
      kubeconfig: standIn.kubeconfig,
      prometheusUrl: 'http://127.0.0.1:9',
      entities,
    });
    const fleet = await asBob(request(server).get('/api/greenlight/rollouts'));
    expect(fleet.status).toBe(200);
    expect(fleet.body.items[0].metrics).toBeNull();
    expect(fleet.body.metricsProblem.message).toMatch(
      /Prometheus at http:\/\/127.0.0.1:9 could not be reached.*greenlight.prometheus.url/,
    );

    const metrics = await asBob(
      request(server).get(`/api/greenlight/rollouts/${NS}/chatbot/metrics`),
    );
    expect(metrics.status).toBe(503);
    expect(metrics.body.error.name).toBe('MetricsUnavailableError');
  });
});
