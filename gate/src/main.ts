import { parseArgs } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  createKubeClient,
  createObjectReader,
  DEFAULT_SILENCE_TIMEOUT_MS,
  loadKubeConfig,
  ObjectCache,
} from '@greenlight/core';
import { GateMetrics } from './metrics.ts';
import { listen, portOf, secondsFlag, SERVE_OPTIONS } from './serve-options.ts';
import { DecisionRecorder } from './recorder.ts';
import { createGateServer } from './server.ts';
import { syncLogger } from './sync-errors.ts';

const USAGE = `Usage: greenlight-gate [--port 8080] [--host 0.0.0.0] [--kubeconfig FILE] [--namespace NS]
                       [--watch-silence-timeout 90]

The webhook gate Flagger calls for confirm-promotion (POST /gate/promotion) and rollback
(POST /gate/rollback). It answers 200 only for the revision approved (or aborted) on the
Canary, reading Canaries and Deployments from a watch-backed cache.

Before it answers 200 it confirms the decision with live reads of the Canary and its
target Deployment. A watch that delivers no event and no bookmark for
--watch-silence-timeout seconds (default ${DEFAULT_SILENCE_TIMEOUT_MS / 1000}, also GREENLIGHT_WATCH_SILENCE_TIMEOUT; the
API server sends a bookmark about every minute) makes the gate unready until it is live.

Kubernetes access: --kubeconfig, else KUBECONFIG, else the in-cluster service account.
Endpoints: /healthz (liveness), /readyz (ready once caches synced; otherwise a JSON body
says which cache, its last error and what to fix), /metrics (Prometheus).`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SERVE_OPTIONS,
      namespace: { type: 'string' },
      'watch-silence-timeout': {
        type: 'string',
        default:
          process.env.GREENLIGHT_WATCH_SILENCE_TIMEOUT ?? String(DEFAULT_SILENCE_TIMEOUT_MS / 1000),
      },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = portOf(values.port);

  const silenceMs = secondsFlag(
    values,
    'watch-silence-timeout',
    'GREENLIGHT_WATCH_SILENCE_TIMEOUT',
  );

  const kc = loadKubeConfig({ kubeconfig: values.kubeconfig });
  const apiServer = withoutCredentials(kc.getCurrentCluster()?.server);
  const scope = values.namespace ? { namespace: values.namespace } : {};
  const log = (line: string) => console.error(line);
  const canaryLog = syncLogger('Canary', () => canaries.description, log, { server: apiServer });
  const deploymentLog = syncLogger('Deployment', () => deployments.description, log, {
    server: apiServer,
  });
  const watchOptions = { silenceTimeoutMs: silenceMs };
  const canaries = new ObjectCache<Canary>(
    kc,
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', ...scope },
    { ...watchOptions, onError: canaryLog.failed },
  );
  const deployments = new ObjectCache<V1Deployment>(
    kc,
    { apiVersion: 'apps/v1', kind: 'Deployment', ...scope },
    { ...watchOptions, onError: deploymentLog.failed },
  );
  canaries.onSync(canaryLog.synced);
  deployments.onSync(deploymentLog.synced);
  const metrics = new GateMetrics();
  const recorder = new DecisionRecorder(createKubeClient(kc), {
    onError: (error) => {
      metrics.eventErrors.inc();
      console.error(`gate: could not record event: ${(error as Error).message}`);
    },
    onDrop: () => metrics.eventsDropped.inc(),
    log: (line) => console.error(`gate: ${line}`),
  });
  const server = createGateServer({
    canaries,
    deployments,
    live: createObjectReader(kc),
    metrics,
    recorder,
    log,
    apiServer,
  });

  // Serve at once: until the caches sync every decision is a refusal, never a guess.
  await listen(server, port, values.host, 'greenlight-gate');
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

/** The API server's address for messages: a URL's user and password are never logged. */
function withoutCredentials(server: string | undefined): string | undefined {
  if (!server) return undefined;
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return undefined;
  }
}
