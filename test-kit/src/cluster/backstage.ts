// A stand-in cluster for the Backstage plugin's tests and benchmark: the sandbox's
// Kubernetes API with Flagger's objects for a few chatbots, and the sandbox's mesh, which
// runs each chatbot's Deployments as the real example chatbot, splits its simulated users'
// messages by the TrafficSplit and counts the replies, behind the sandbox's Prometheus.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import {
  chatbotInProcess,
  Scrapes,
  startApiServer,
  startMesh,
  startMetricsServer,
} from '@greenlight/sandbox';
import type { ApiServer, KubeObject, Mesh, MetricsServer } from '@greenlight/sandbox';

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
        spec: {
          containers: [
            {
              name: 'fn',
              image: `ghcr.io/acme/${name}:${revision}`,
              env: [{ name: 'BOT_REVISION', value: revision }],
            },
          ],
        },
      },
    },
  };
}

/** A Service selecting `app: <app>`, as Flagger writes `<name>`, `-primary` and `-canary`. */
function service(name: string, app: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { selector: { app }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] },
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

/** A chatbot's Canary, Deployments (target and `-primary`), Services and TrafficSplit. */
export function chatbotObjects(bot: ChatbotSpec): KubeObject[] {
  return [
    canaryOf(bot),
    deployment(bot.name, bot.revision),
    deployment(`${bot.name}-primary`, bot.promotedRevision),
    service(bot.name, `${bot.name}-primary`),
    service(`${bot.name}-primary`, `${bot.name}-primary`),
    service(`${bot.name}-canary`, bot.name),
    trafficSplit(bot.name, bot.greenWeight),
  ];
}

export interface StandIn {
  api: ApiServer;
  kubeconfig: string;
  mesh: Mesh;
  prometheus: MetricsServer;
  /** Writes a chatbot's Canary, Deployments, Services and TrafficSplit. */
  deploy(bot: ChatbotSpec): void;
  /**
   * Starts every deployed chatbot's simulated users (`perSecond` messages each, default 10)
   * and resolves once each side its route weighs has answered: from then on its counts are
   * in Prometheus.
   */
  startTraffic(perSecond?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  const api = await startApiServer();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-backstage-')), 'kubeconfig');
  await api.writeKubeconfig(kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  const mesh = await startMesh({
    kubeconfig: kc,
    namespace: NS,
    launch: chatbotInProcess,
    log: () => undefined,
  });
  // Scraped every 5 s, as a cluster's Prometheus might, and on every query.
  const scrapes = new Scrapes(mesh.metrics, { intervalMs: 5000, retentionMs: 15 * 60_000 });
  const prometheus = await startMetricsServer({ source: scrapes });
  const bots: ChatbotSpec[] = [];
  return {
    api,
    kubeconfig,
    mesh,
    prometheus,
    deploy(bot) {
      bots.push(bot);
      for (const object of chatbotObjects(bot)) api.store.put(object);
    },
    async startTraffic(perSecond = 10) {
      for (const { name } of bots) mesh.users.setRate(name, perSecond);
      const deadline = Date.now() + 30_000;
      const sides = bots.flatMap(({ name, greenWeight }) => [
        ...(greenWeight < 100 ? [`${name}-primary`] : []),
        ...(greenWeight > 0 ? [name] : []),
      ]);
      const silent = () => sides.filter((side) => !mesh.metrics.responses(NS, side)[200]);
      while (silent().length > 0) {
        if (Date.now() > deadline) throw new Error(`no reply from ${silent().join(', ')} in 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      scrapes.stop();
      await mesh.stop();
      await Promise.all([api.close(), prometheus.close()]);
    },
  };
}
