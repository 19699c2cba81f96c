// Rollouts in each state the plugin shows, as the backend sends them.
import type { Entity } from '@backstage/catalog-model';
import { lastProbeRuns } from '@greenlight/backstage-plugin-greenlight-common';
import type {
  FleetResponse,
  HistoryEntry,
  MarkResponse,
  MetricsResponse,
  RolloutResponse,
  RolloutView,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { GreenlightApi, RolloutRef } from '../src/api/GreenlightApi.ts';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'chatbot',
    namespace: 'default',
    annotations: {
      'greenlight.dev/canary': 'openfaas-fn/chatbot',
      'github.com/project-slug': 'acme/chatbots',
    },
  },
  spec: { type: 'service', owner: 'team-bots', lifecycle: 'production' },
};

const base: RolloutView = {
  namespace: 'openfaas-fn',
  name: 'chatbot',
  phase: 'Progressing',
  provider: 'linkerd',
  strategy: 'canary',
  revision: 'c0ffee1c0ffee1c0ffee1c0ffee1c0ffee1c0ffe',
  promotedRevision: 'beef001',
  weights: { blue: 80, green: 20, source: 'route' },
  step: { current: 2, total: 5 },
  failedChecks: 0,
  threshold: 3,
  waitingForApproval: false,
  verdict: 'in-progress',
  reason: 'Flagger is shifting traffic to revision c0ffee1: 20% on green.',
};

export const views: Record<string, RolloutView> = {
  progressing: base,
  waiting: {
    ...base,
    phase: 'WaitingPromotion',
    weights: { blue: 50, green: 50, source: 'route' },
    step: { current: 5, total: 5 },
    waitingForApproval: true,
    reason: 'Revision c0ffee1 passed its analysis and waits for approval.',
  },
  failed: {
    ...base,
    phase: 'Failed',
    weights: { blue: 100, green: 0, source: 'route' },
    failedChecks: 3,
    verdict: 'failed',
    reason: 'Canary analysis failed: success rate 91.2% < 99% (3 of 3 failed checks).',
  },
  succeeded: {
    ...base,
    phase: 'Succeeded',
    promotedRevision: base.revision,
    weights: { blue: 100, green: 0, source: 'route' },
    step: { current: 5, total: 5 },
    verdict: 'succeeded',
    reason: 'Revision c0ffee1 is promoted.',
  },
};

export function rolloutResponse(
  view: RolloutView,
  ownership: RolloutResponse['ownership'] = {
    owner: 'component:default/chatbot',
    claimants: ['component:default/chatbot'],
  },
  /** Newer Events, e.g. the prober's; `probes` is read from the history as the backend does. */
  newer: HistoryEntry[] = [],
): RolloutResponse {
  const history: HistoryEntry[] = [
    ...newer,
    {
      type: 'Normal',
      reason: 'Synced',
      message: 'Advance chatbot.openfaas-fn canary weight 20',
      at: '2026-01-10T10:05:00Z',
      count: 1,
      source: 'flagger',
    },
    {
      type: 'Normal',
      reason: 'Synced',
      message: 'New revision detected! Scaling up chatbot.openfaas-fn',
      at: '2026-01-10T10:00:00Z',
      count: 1,
      source: 'flagger',
    },
  ];
  return {
    rollout: view,
    ownership,
    history,
    probes: lastProbeRuns(history),
    freshness: { cluster: 'sandbox', synced: true },
  };
}

const series = (values: number[]) => values.map((v, i) => ({ t: 1_768_000_000 + i * 15, v }));
const signals = (successRate: number, p99Ms: number) => ({
  successRate,
  rps: 25,
  p50Ms: 12,
  p95Ms: 40,
  p99Ms,
});

export const metrics: MetricsResponse = {
  current: {
    blue: signals(99.9, 80),
    green: signals(97.5, 620),
    window: '5m',
    at: '2026-01-10T10:06:00Z',
  },
  series: {
    blue: {
      successRate: series([99.9, 99.8]),
      rps: series([25, 26]),
      p50Ms: series([12, 12]),
      p95Ms: series([40, 41]),
      p99Ms: series([80, 82]),
    },
    green: {
      successRate: series([98, 97.5]),
      rps: series([5, 6]),
      p50Ms: series([14, 15]),
      p95Ms: series([90, 95]),
      p99Ms: series([600, 620]),
    },
    window: '5m',
    stepSeconds: 15,
    from: '2026-01-10T10:01:00Z',
    to: '2026-01-10T10:06:00Z',
  },
  thresholds: [
    { metric: 'request-success-rate', signal: 'successRate', min: 99, interval: '1m' },
    { metric: 'request-duration', signal: 'p99Ms', max: 500, interval: '1m' },
  ],
  source: 'prometheus',
};

/** A backend error as GreenlightClient throws it (a ResponseError's shape). */
export function backendError(status: number, name: string, message: string): Error {
  return Object.assign(new Error(`Request failed with ${status}`), {
    name: 'ResponseError',
    response: { status },
    body: { error: { name, message }, response: { statusCode: status } },
  });
}

/** The API answering from fixtures, recording approvals and aborts. */
export class FixtureApi implements GreenlightApi {
  calls: { verb: string; ref: RolloutRef; revision: string }[] = [];
  readonly answers: {
    rollout?: RolloutResponse | Error;
    metrics?: MetricsResponse | Error;
    fleet?: FleetResponse | Error;
  };
  constructor(answers: FixtureApi['answers']) {
    this.answers = answers;
  }
  fleet() {
    return answer(this.answers.fleet);
  }
  rollout() {
    return answer(this.answers.rollout);
  }
  metrics() {
    return answer(this.answers.metrics);
  }
  async approve(ref: RolloutRef, revision: string): Promise<MarkResponse> {
    this.calls.push({ verb: 'approve', ref, revision });
    return { revision, by: 'user:default/alice', rollout: views.waiting! };
  }
  async abort(ref: RolloutRef, revision: string): Promise<MarkResponse> {
    this.calls.push({ verb: 'abort', ref, revision });
    return { revision, by: 'user:default/alice', rollout: views.waiting! };
  }
  async rollback(ref: RolloutRef, revision: string): Promise<MarkResponse> {
    this.calls.push({ verb: 'rollback', ref, revision });
    return { revision, by: 'user:default/alice', rollout: views.progressing! };
  }
}

async function answer<T>(value: T | Error | undefined): Promise<T> {
  if (value === undefined) throw new Error('no fixture for this call');
  if (value instanceof Error) throw value;
  return value;
}
