// Flagger itself (v1.44, built by test/e2e/setup), out of cluster with its own kubeconfig.
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

export interface Flagger {
  process: ManagedProcess;
}

export interface FlaggerOptions {
  binary: string;
  dir: string;
  kubeconfig: string;
  prometheusUrl: string;
  /** `linkerd` or `gatewayapi:v1beta1`; a Canary's spec.provider overrides it. */
  meshProvider: string;
  /** Flagger's -cluster-name: a "Cluster" field in every alert it posts. */
  clusterName?: string;
}

export async function startFlagger(options: FlaggerOptions): Promise<Flagger> {
  const port = await freePort();
  const process = new ManagedProcess({
    name: 'flagger',
    command: options.binary,
    dir: options.dir,
    args: [
      `-kubeconfig=${options.kubeconfig}`,
      `-mesh-provider=${options.meshProvider}`,
      `-metrics-server=${options.prometheusUrl}`,
      // faas-netes labels each function's pods `faas_function=<name>` (docs/design.md, "Flagger facts").
      '-selector-labels=app,name,faas_function',
      '-enable-leader-election=false',
      `-port=${port}`,
      '-log-level=info',
      '-zap-encoding=console',
      ...(options.clusterName ? [`-cluster-name=${options.clusterName}`] : []),
    ],
  });
  await process.waitUntil(
    'serving /healthz',
    async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
  );
  return { process };
}
