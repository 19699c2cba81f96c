// A stand-in cluster for the Backstage plugin's tests and benchmark: the sandbox's
// Kubernetes API with Flagger's objects for a few chatbots, and its synthetic Linkerd
// metrics behind a Prometheus API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, startMetricsServer, TrafficModel } from '@greenlight/sandbox';
import type { ApiServer, KubeObject, MetricsServer } from '@greenlight/sandbox';

export const NS = 'openfaas-fn';

export interface ChatbotSpec {
  name: string;
  phase: string;
  /** Green's weight in the TrafficSplit. */
  greenWeight: number;
  revision: string;
  promotedRevision: string;
  failedChecks?: number;
  annotations?: Record<string, string>;
  message?: string;
  /**
   * The Canary's `greenlight.dev/owner`, as a deploy with `owner` writes it: by default the
   * catalog entity of the same name (`component:default/<name>`); null writes none.
   */
  owner?: string | null;
}

export function canaryOf(bot: ChatbotSpec): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name: bot.name,
      namespace: NS,
      annotations: { ...ownerAnnotation(bot), ...bot.annotations },
    },
    spec: {
      provider: 'linkerd',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: bot.name },
      service: { port: 8080 },
      analysis: {
        interval: '1m',
        threshold: 3,
        stepWeight: 10,
        maxWeight: 50,
        metrics: [
          { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
          { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
        ],
      },
    },
    status: {
      phase: bot.phase,
      failedChecks: bot.failedChecks ?? 0,
      canaryWeight: bot.greenWeight,
      lastTransitionTime: '2026-01-10T10:00:00Z',
      conditions: [
        {
          type: 'Promoted',
          status: bot.phase === 'Succeeded' ? 'True' : bot.phase === 'Failed' ? 'False' : 'Unknown',
          reason: bot.phase,
          message: bot.message ?? `Canary is ${bot.phase}`,
          // Flagger moves it when the condition's status changes: here, when analysis began.
          lastTransitionTime: '2026-01-10T10:00:00Z',
        },
      ],
    },
  };
}

function ownerAnnotation(bot: ChatbotSpec): Record<string, string> {
  const owner = bot.owner === undefined ? `component:default/${bot.name}` : bot.owner;
  return owner === null ? {} : { 'greenlight.dev/owner': owner };
}

function deployment(name: string, revision: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'greenlight.dev/revision': revision } },
        spec: { containers: [{ name: 'fn', image: `ghcr.io/acme/${name}:${revision}` }] },
      },
    },
  };
}

function trafficSplit(name: string, greenWeight: number): KubeObject {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name, namespace: NS },
    spec: {
      service: name,
      backends: [
        { service: `${name}-primary`, weight: 100 - greenWeight },
        { service: `${name}-canary`, weight: greenWeight },
      ],
    },
  };
}

export function canaryEvent(
  canary: string,
  id: string,
  reason: string,
  message: string,
  at: string,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${canary}.${id}`, namespace: NS },
    involvedObject: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: canary,
      namespace: NS,
    },
    reason,
    message,
    type: reason === 'Synced' ? 'Normal' : 'Warning',
    source: { component: 'flagger' },
    lastTimestamp: at,
    count: 1,
  };
}

export interface StandIn {
  api: ApiServer;
  kubeconfig: string;
  model: TrafficModel;
  prometheus: MetricsServer;
  /** Writes a chatbot's Canary, Deployments and TrafficSplit; routes its synthetic traffic. */
  deploy(bot: ChatbotSpec): void;
  /** Lets the model's clock catch up with now: call after the first deploys. */
  startTraffic(): void;
  close(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  const api = await startApiServer();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-backstage-')), 'kubeconfig');
  await api.writeKubeconfig(kubeconfig);
  // The model's clock starts 10 minutes back, so the first query replays 10 minutes of
  // traffic at the weights the chatbots were deployed with: rates over a 5m window exist.
  let shiftMs = -10 * 60_000;
  const model = new TrafficModel({ now: () => Date.now() + shiftMs, seed: 7 });
  const prometheus = await startMetricsServer({ model });
  return {
    api,
    kubeconfig,
    model,
    prometheus,
    startTraffic() {
      shiftMs = 0;
    },
    deploy(bot) {
      api.store.put(canaryOf(bot));
      api.store.put(deployment(bot.name, bot.revision));
      api.store.put(deployment(`${bot.name}-primary`, bot.promotedRevision));
      api.store.put(trafficSplit(bot.name, bot.greenWeight));
      model.setWeights(NS, bot.name, { blue: 100 - bot.greenWeight, green: bot.greenWeight });
    },
    async close() {
      await Promise.all([api.close(), prometheus.close()]);
    },
  };
}
