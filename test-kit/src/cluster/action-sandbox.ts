// The action against the sandbox, fifty times faster than a cluster (a 10 s analysis
// interval takes 200 ms): a chatbot as faas-netes leaves it after the first `faas-cli
// deploy`, which Greenlight's first deploy has shipped and the sandbox's Flagger has
// initialised.
import type { KubernetesObject } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '@greenlight/sandbox';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { runAction } from '../processes/run-action.ts';
import { chatbotDeployment, eventually } from './cluster.ts';

export interface ActionSandbox {
  sandbox: Sandbox;
  kubeconfig: string;
  /** The action's `with:` for the chatbot (10 s interval, threshold 2, 20 s timeout) and `extra`. */
  inputs(extra?: Record<string, string>): Record<string, string>;
  canary(): Promise<Canary | undefined>;
}

export async function startActionSandbox(namespace = 'openfaas-fn'): Promise<ActionSandbox> {
  const sandbox = await startSandbox({ speed: 50 });
  const kubeconfig = sandbox.api.kubeconfig();
  const inputs = (extra: Record<string, string> = {}) => ({
    'stack-file': 'stack.yml',
    functions: 'chatbot',
    builder: 'none',
    kubeconfig,
    interval: '10s',
    threshold: '2',
    timeout: '20s',
    // The default provider, gatewayapi, judges by MetricTemplates: they query the sandbox's Prometheus.
    'prometheus-address': sandbox.metricsUrl,
    ...extra,
  });
  const canary = () =>
    sandbox.kube.get<Canary>({
      apiVersion: FLAGGER_API_VERSION,
      kind: 'Canary',
      namespace,
      name: 'chatbot',
    });
  try {
    await sandbox.kube.apply(chatbotDeployment('chatbot', namespace, 'v1') as KubernetesObject);
    const first = await runAction({ inputs: inputs({ revision: 'v1', 'wait-until': 'applied' }) });
    if (first.code !== 0) {
      throw new Error(`the first deploy exited ${first.code}: ${first.errors.join('; ')}`);
    }
    await eventually(async () => (await canary())?.status?.phase === 'Initialized', 10_000);
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return { sandbox, kubeconfig, inputs, canary };
}
