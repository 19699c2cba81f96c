import { parseArgs } from 'node:util';
import { createKubeClient, DEFAULT_PROBE_TIMEOUT_MS, loadKubeConfig } from '@greenlight/core';
import { listen, portOf, secondsFlag, SERVE_OPTIONS } from '../serve-options.ts';
import { ProbeRecorder } from './events.ts';
import { ProbeMetrics } from './metrics.ts';
import { createProbeServer } from './server.ts';

const USAGE = `Usage: greenlight-probe [--port 8080] [--host 0.0.0.0] [--kubeconfig FILE]
                        [--request-timeout ${DEFAULT_PROBE_TIMEOUT_MS / 1000}]

The prober Flagger calls through a Canary's pre-rollout (POST /probe/pre-rollout) and rollout
(POST /probe/rollout) webhooks. It runs the conversations in the webhook's metadata (written
by greenlight render from probes.yml) against http://<service>-canary.<namespace>:<port>,
read from the Canary, and answers 200 when every reply held, 422 with the failed turn when
one did not. Each run is an Event on the Canary. A payload whose metadata is not that of the
Canary's own webhook is refused (403), as is a run past 200 requests or 256 KiB (400).

Slack turns are signed with the signing secret read from the Secret the probe names, only
when a Slack turn needs it and the Canary's target Deployment references that Secret. Requests use Node's fetch: set NODE_USE_ENV_PROXY=1 with
HTTP_PROXY / NO_PROXY to send them through a proxy.

--request-timeout: seconds per request to the bot (also GREENLIGHT_PROBE_REQUEST_TIMEOUT), and
never more than the webhook metadata's requestTimeout, which Flagger's timeout is sized for.
Kubernetes access: --kubeconfig, else KUBECONFIG, else the in-cluster service account.
Endpoints: /healthz (liveness), /metrics (Prometheus).`;

export async function probeMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SERVE_OPTIONS,
      'request-timeout': {
        type: 'string',
        default:
          process.env.GREENLIGHT_PROBE_REQUEST_TIMEOUT ?? String(DEFAULT_PROBE_TIMEOUT_MS / 1000),
      },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = portOf(values.port);
  const timeoutMs = secondsFlag(values, 'request-timeout', 'GREENLIGHT_PROBE_REQUEST_TIMEOUT');

  const kube = createKubeClient(loadKubeConfig({ kubeconfig: values.kubeconfig }));
  const metrics = new ProbeMetrics();
  const recorder = new ProbeRecorder(kube, {
    onError: (error) => {
      metrics.eventErrors.inc();
      console.error(`probe: could not record event: ${(error as Error).message}`);
    },
    onDrop: () => metrics.eventsDropped.inc(),
    log: (line) => console.error(`probe: ${line}`),
  });
  const server = createProbeServer({
    kube,
    metrics,
    recorder,
    requestTimeoutMs: timeoutMs,
    log: (line) => console.error(line),
  });
  await listen(server, port, values.host, 'greenlight-probe');

  const shutdown = () => {
    server.close();
    void recorder.flush().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
