// ScenarioCluster over any Kubernetes API: only the KubeClient, the gate's URL, the
// Prometheus address and the pace differ between the sandbox and a real control plane.
import type { CoreV1Event, KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { FLAGGER_API_VERSION } from 'flagger-types';
import {
  abort,
  approve,
  interpret,
  PROBE_WEBHOOK_NAMES,
  renderCanary,
  resolveCanaryOptions,
  routeTypeOf,
  type CanaryOptionsInput,
  type FunctionProbe,
  type KubeClient,
  type RenderedCanary,
  type RolloutView,
} from '@greenlight/core';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';
import type { ScenarioCluster } from './cluster.ts';

// These scenarios are about Flagger's steps. On the sandbox their traffic is its simulated users;
// blue/green is rendered only with a probe, so there each is rendered with one and its webhooks
// taken out again. On a real Flagger (`probe` given) the real prober runs it: nothing else
// sends a blue/green canary traffic (the probes themselves: test/e2e/scenarios/probes.test.ts).
const TRAFFIC_ONLY: FunctionProbe = {
  path: '/',
  conversations: [
    {
      name: 'unused',
      turns: [{ request: { kind: 'webchat', message: 'hi' }, expect: { contains: 'hi' } }],
    },
  ],
};

function unprobed([canary, ...templates]: RenderedCanary): RenderedCanary {
  const probeHooks: string[] = Object.values(PROBE_WEBHOOK_NAMES);
  const webhooks = canary.spec.analysis.webhooks?.filter((w) => !probeHooks.includes(w.name));
  const analysis = { ...canary.spec.analysis };
  delete analysis.webhooks;
  if (webhooks?.length) analysis.webhooks = webhooks;
  const spec = { ...canary.spec, analysis };
  return [{ ...canary, spec }, ...templates];
}

/** A healthy version, written out so a later healthy revision replaces a bad one's annotation. */
export const HEALTHY = 'success-rate=99.9,p50=40,p99=120';
const BEHAVIOUR_ANNOTATION = 'sandbox.greenlight.dev/behaviour';

export interface KubeClusterOptions {
  kube: KubeClient;
  gateUrl: string;
  prometheusAddress: string;
  /** The Canary's `analysis.interval`, and how long it really takes. */
  interval: string;
  intervalMs: number;
  /** Where Flagger reaches the real prober, and the probe it runs; unset, probes are stripped. */
  probe?: { url: string; probe: FunctionProbe };
  close(): Promise<void>;
}

/**
 * A version that is bad in its code, for the real chatbot processes of the end-to-end mesh:
 * the sandbox's behaviour (which its traffic model reads from the annotation) as the example
 * chatbot's DEMO_FAULT — errors below 99 % answer questions with 500, a p99 past 500 ms is
 * slow replies.
 */
function demoFaults(behaviour: string): string {
  const read = (key: string) => Number(new RegExp(`(?:^|,)${key}=([\\d.]+)`).exec(behaviour)?.[1]);
  const faults: string[] = [];
  if (read('success-rate') < 99) faults.push('fail-questions');
  if (read('p99') > 500) faults.push('slow-replies');
  return faults.join(',');
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
      ...(this.#options.probe ? { probeUrl: this.#options.probe.url } : {}),
      ...options,
    });
    const { probe } = this.#options;
    const objects = probe
      ? renderCanary({ name: this.name, probe: probe.probe }, resolved)
      : unprobed(renderCanary({ name: this.name, probe: TRAFFIC_ONLY }, resolved));
    this.#provider = objects[0].spec.provider ?? 'linkerd';
    for (const object of objects) await this.#options.kube.apply(object as KubernetesObject);
  }

  async deploy(revision: string, behaviour = HEALTHY): Promise<void> {
    const deployment = chatbotDeployment(this.name, this.namespace, revision);
    const annotations = deployment.spec?.template.metadata?.annotations ?? {};
    annotations[BEHAVIOUR_ANNOTATION] = behaviour;
    const faults = demoFaults(behaviour);
    if (faults) {
      deployment.spec!.template.spec!.containers[0]!.env = [{ name: 'DEMO_FAULT', value: faults }];
    }
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
