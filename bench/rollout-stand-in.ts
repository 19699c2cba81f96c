// One canary's rollout on the sandbox's API stand-in, for the followers' benchmarks
// (bench/action-follow.ts, bench/cli-watch.ts): the Canary and its Deployments, then
// Flagger's analysis written straight into the store, so every request the API server logs
// is the follower's.
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type ApiServer } from '@greenlight/sandbox';
import {
  createKubeClient,
  renderCanary,
  resolveCanaryOptions,
  type KubeClient,
} from '@greenlight/core';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';

export const NS = 'openfaas-fn';
export const STEPS = [10, 20, 30, 40, 50];
export const GAP_MS = 1500;

export async function setup(): Promise<{ api: ApiServer; kc: KubeConfig; kube: KubeClient }> {
  const api = await startApiServer({ port: 0 });
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  const kube = createKubeClient(kc);
  for (const object of renderCanary({ name: 'chatbot' }, resolveCanaryOptions({ namespace: NS }))) {
    await kube.apply(object as KubernetesObject);
  }
  await kube.apply(chatbotDeployment('chatbot', NS, 'v2') as KubernetesObject);
  await kube.apply(chatbotDeployment('chatbot-primary', NS, 'v1') as KubernetesObject);
  return { api, kc, kube };
}

/** Flagger's hash of each revision's pod template (status.lastAppliedSpec), as it picks it up. */
export const SPEC = { v1: '7c9f5b6d4f', v2: '5d8b6c9f7a' };

/** Before the deploy: v1 promoted, the Canary Succeeded (as Flagger left it). */
export function previousRollout(api: ApiServer): void {
  const current = api.store.get(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
    NS,
    'chatbot',
  );
  api.store.putStatus({
    ...(current as object),
    status: {
      phase: 'Succeeded',
      canaryWeight: 0,
      failedChecks: 0,
      iterations: 0,
      lastAppliedSpec: SPEC.v1,
      lastPromotedSpec: SPEC.v1,
      lastTransitionTime: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  } as never);
}

/**
 * Flagger's analysis, written straight into the stand-in's store (no HTTP): weights then
 * status, one step every GAP_MS. With `picksUp`, the first status write carries v2's
 * lastAppliedSpec, as Flagger's does when it notices the new pod template; lastPromotedSpec
 * follows at Succeeded.
 */
export async function analysis(
  api: ApiServer,
  onWrite: (label: string) => void,
  picksUp = false,
): Promise<void> {
  // Promotion as Flagger runs it (scheduler.go): Promoting with the route still at max
  // weight and status.canaryWeight zeroed, then all traffic to the primary and Finalising,
  // then Succeeded.
  const max = STEPS.at(-1) as number;
  const phases: [string, number][] = [
    ...STEPS.map((w) => ['Progressing', w] as [string, number]),
    ['Promoting', max],
    ['Finalising', 0],
    ['Succeeded', 0],
  ];
  for (const [phase, weight] of phases) {
    await new Promise((r) => setTimeout(r, GAP_MS));
    onWrite(`${phase} ${weight}`);
    if (phase === 'Succeeded')
      api.store.put(chatbotDeployment('chatbot-primary', NS, 'v2') as never);
    api.store.put({
      apiVersion: 'split.smi-spec.io/v1alpha1',
      kind: 'TrafficSplit',
      metadata: { name: 'chatbot', namespace: NS },
      spec: {
        service: 'chatbot',
        backends: [
          { service: 'chatbot-primary', weight: String(100 - weight) },
          { service: 'chatbot-canary', weight: String(weight) },
        ],
      },
    });
    const current = api.store.get(
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
      NS,
      'chatbot',
    );
    const specs = picksUp
      ? {
          lastAppliedSpec: SPEC.v2,
          lastPromotedSpec: phase === 'Succeeded' ? SPEC.v2 : SPEC.v1,
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        }
      : {};
    api.store.putStatus({
      ...(current as object),
      status: {
        phase,
        canaryWeight: phase === 'Progressing' ? weight : 0,
        failedChecks: 0,
        iterations: 0,
        ...specs,
      },
    } as never);
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** "N (d discovery, l list, w watch, g get)". */
export function breakdown(requests: ApiServer['requestLog']): string {
  const count = (test: (r: ApiServer['requestLog'][number]) => boolean) =>
    requests.filter(test).length;
  const discovery = count((r) => !r.path.includes('/namespaces/'));
  const watches = count((r) => r.watch);
  const lists = count(
    (r) =>
      r.path.includes('/namespaces/') &&
      !r.watch &&
      r.path.split('/').length <= 7 &&
      !/\/(canaries|deployments|trafficsplits)\/[^/]+$/.test(r.path),
  );
  const gets = requests.length - discovery - watches - lists;
  return `${requests.length} (${discovery} discovery, ${lists} list, ${watches} watch, ${gets} get)`;
}
