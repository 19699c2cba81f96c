// ScenarioCluster on the sandbox: the API stand-in, the Flagger-behaving controller, the
// synthetic metrics and the real gate, in this process, running fast.
import { startSandbox } from '@greenlight/sandbox';
import type { ScenarioCluster } from './cluster.ts';
import { KubeScenarioCluster } from './kube-cluster.ts';

/** Flagger's shortest interval (10 s), run 50 times faster: a step every 200 ms. */
const INTERVAL = '10s';
const SPEED = 50;

export async function startSandboxCluster(): Promise<ScenarioCluster> {
  const sandbox = await startSandbox({ speed: SPEED });
  return new KubeScenarioCluster({
    kube: sandbox.kube,
    gateUrl: sandbox.gateUrl,
    prometheusAddress: sandbox.metricsUrl,
    interval: INTERVAL,
    intervalMs: 10_000 / SPEED,
    close: () => sandbox.close(),
  });
}
