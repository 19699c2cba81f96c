// ScenarioCluster over any Kubernetes API: only the KubeClient, the gate's URL, the
// Prometheus address and the pace differ between the sandbox and a real control plane.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CoreV1Event, KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { FLAGGER_API_VERSION } from 'flagger-types';
import {
  abort,
  approve,
  interpret,
  parseProbeFile,
  renderCanary,
  resolveCanaryOptions,
  routeTypeOf,
  type CanaryOptionsInput,
  type FunctionProbe,
  type KubeClient,
  type RolloutView,
} from '@greenlight/core';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';
import type { ScenarioCluster } from './cluster.ts';

// These scenarios are about Flagger's steps. Their traffic is the chatbot's simulated users
// plus the real prober, which sends a blue/green canary its only traffic: the example's
// web-chat conversations (its Slack ones need a signing Secret;
// test/e2e/scenarios/probes.test.ts runs them).
const PROBES_FILE = fileURLToPath(new URL('../../examples/chatbot/probes.yml', import.meta.url));
const EXAMPLE = parseProbeFile(readFileSync(PROBES_FILE, 'utf8'), PROBES_FILE).functions.chatbot!;
export const WEB_CHAT_PROBE: FunctionProbe = {
  path: EXAMPLE.path,
  conversations: EXAMPLE.conversations.filter((c) =>
    c.turns.every((turn) => turn.request.kind === 'webchat'),
  ),
};

export interface KubeClusterOptions {
  kube: KubeClient;
  gateUrl: string;
  prometheusAddress: string;
  /** The Canary's `analysis.interval`, and how long it really takes. */
  interval: string;
  intervalMs: number;
  /** Where Flagger reaches the real prober (WEB_CHAT_PROBE is what it runs). */
  probeUrl: string;
  close(): Promise<void>;
}

export class KubeScenarioCluster implements ScenarioCluster {
  readonly namespace = 'openfaas-fn';
  readonly name = 'chatbot';
  readonly intervalMs: number;
  readonly #options: KubeClusterOptions;
  #provider = 'linkerd';

  constructor(options: KubeClusterOptions) {
    this.#options = options;
    this.intervalMs = options.intervalMs;
  }

  async install(options: Partial<CanaryOptionsInput> = {}): Promise<void> {
    const resolved = resolveCanaryOptions({
      namespace: this.namespace,
      interval: this.#options.interval,
      prometheusAddress: this.#options.prometheusAddress,
      ...(options.approval ? { gateUrl: this.#options.gateUrl } : {}),
      probeUrl: this.#options.probeUrl,
      ...options,
    });
    const objects = renderCanary({ name: this.name, probe: WEB_CHAT_PROBE }, resolved);
    this.#provider = objects[0].spec.provider ?? 'linkerd';
    for (const object of objects) await this.#options.kube.apply(object as KubernetesObject);
  }

  async deploy(revision: string, env: Record<string, string> = {}): Promise<void> {
    const deployment = chatbotDeployment(this.name, this.namespace, revision);
    deployment.spec!.template.spec!.containers[0]!.env = Object.entries(env).map(
      ([name, value]) => ({ name, value }),
    );
    await this.#options.kube.apply(deployment as KubernetesObject);
  }

  async approve(revision?: string): Promise<void> {
    await approve(this.#options.kube, this.#ref(), { revision, note: 'scenario-approver' });
  }

  async abort(revision?: string): Promise<void> {
    await abort(this.#options.kube, this.#ref(), { revision, note: 'scenario-operator' });
  }

  async canary(): Promise<Canary> {
    const canary = await this.#options.kube.get<Canary>({
      apiVersion: FLAGGER_API_VERSION,
      kind: 'Canary',
      ...this.#ref(),
    });
    if (!canary) throw new Error(`Canary ${this.namespace}/${this.name} does not exist`);
    return canary;
  }

  async view(): Promise<RolloutView> {
    const { kube } = this.#options;
    const canary = await this.canary();
    const deployment = (name: string) =>
      kube.get<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: this.namespace,
        name,
      });
    const [route, target, primary] = await Promise.all([
      kube.get<TrafficSplit | HTTPRoute>({ ...routeTypeOf(this.#provider), ...this.#ref() }),
      deployment(this.name),
      deployment(`${this.name}-primary`),
    ]);
    return interpret({ canary, route, target, primary });
  }

  async events(): Promise<string[]> {
    const events = await this.#options.kube.list<CoreV1Event>(
      { apiVersion: 'v1', kind: 'Event' },
      this.namespace,
    );
    return (
      events
        .filter(
          (event) =>
            event.involvedObject?.kind === 'Canary' &&
            event.involvedObject.name === this.name &&
            (event.source?.component ?? event.reportingComponent) === 'flagger',
        )
        .sort((a, b) => order(a) - order(b))
        // client-go's correlator prefixes a folded Event; the message after it is Flagger's own.
        .map((event) => (event.message ?? '').replace(/^\(combined from similar events\): /, ''))
    );
  }

  async waitFor(
    what: string,
    predicate: (view: RolloutView) => boolean,
    timeoutMs = 40 * this.intervalMs,
  ): Promise<RolloutView> {
    const deadline = Date.now() + timeoutMs;
    let view = await this.view();
    while (!predicate(view)) {
      if (Date.now() > deadline) {
        const events = (await this.events()).slice(-8).join('\n  ');
        throw new Error(
          `${what}: not within ${timeoutMs} ms. Last view: ${view.phase}, green ${view.weights.green}%, revision ${view.revision}: ${view.reason}\nLast events:\n  ${events}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, this.intervalMs / 4)));
      view = await this.view();
    }
    return view;
  }

  close(): Promise<void> {
    return this.#options.close();
  }

  #ref() {
    return { namespace: this.namespace, name: this.name };
  }
}

/** Creation order: resourceVersion where it is a number (etcd's revision), else the time. */
function order(event: CoreV1Event): number {
  const rv = Number(event.metadata?.resourceVersion);
  if (Number.isFinite(rv)) return rv;
  return Date.parse(String(event.lastTimestamp ?? event.firstTimestamp ?? ''));
}
