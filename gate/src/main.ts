import { parseArgs } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { createKubeClient, loadKubeConfig, ObjectCache } from '@greenlight/core';
import { GateMetrics } from './metrics.ts';
import { DecisionRecorder } from './recorder.ts';
import { createGateServer } from './server.ts';

const USAGE = `Usage: greenlight-gate [--port 8080] [--host 0.0.0.0] [--kubeconfig FILE] [--namespace NS]

The webhook gate Flagger calls for confirm-promotion (POST /gate/promotion) and rollback
(POST /gate/rollback). It answers 200 only for the revision approved (or aborted) on the
Canary, reading Canaries and Deployments from a watch-backed cache.

Kubernetes access: --kubeconfig, else KUBECONFIG, else the in-cluster service account.
Endpoints: /healthz (liveness), /readyz (ready once caches synced), /metrics (Prometheus).`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      host: { type: 'string', default: '0.0.0.0' },
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer between 0 and 65535, got "${values.port}"`);
  }

  const kc = loadKubeConfig({ kubeconfig: values.kubeconfig });
  const scope = values.namespace ? { namespace: values.namespace } : {};
  const canaries = new ObjectCache<Canary>(kc, {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    ...scope,
  });
  const deployments = new ObjectCache<V1Deployment>(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    ...scope,
  });
  const metrics = new GateMetrics();
  const recorder = new DecisionRecorder(createKubeClient(kc), {
    onError: (error) => {
      metrics.eventErrors.inc();
      console.error(`gate: could not record event: ${(error as Error).message}`);
    },
  });
  const server = createGateServer({ canaries, deployments, metrics, recorder, log: console.error });

  // Serve at once: until the caches sync every decision is a refusal, never a guess.
  await new Promise<void>((resolve) => server.listen(port, values.host, resolve));
  const address = server.address();
  console.log(`greenlight-gate listening on ${typeof address === 'object' ? address?.port : port}`);
  await Promise.all([canaries.start(), deployments.start()]);
  console.log('greenlight-gate caches synced');

  const shutdown = () => {
    server.close();
    canaries.stop();
    deployments.stop();
    void recorder.flush().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
