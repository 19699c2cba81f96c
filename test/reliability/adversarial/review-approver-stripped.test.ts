// Review of issue 12: "the approver recorded is who the Kubernetes API server authenticated".
// The gate chart's admission policy leaves *removing* greenlight.dev/approved-* to RBAC, so
// the deploy credential (patch on Canaries) may delete approved-by and approved-note from a
// standing approval. The gate's decide() never looks at approved-by: the approval still
// promotes, and the gate's Event then names nobody. Plain API writes against the API
// stand-in, the real gate over HTTP.
import { approve } from '@greenlight/core';
import { deployChatbot, eventually, startTestCluster } from '@greenlight/test-kit/cluster';
import { flaggerWrites, readWebhookPayload } from '@greenlight/test-kit/flagger';
import { startGate } from '@greenlight/test-kit/processes/gate';

const NS = 'openfaas-fn';
const REF = { namespace: NS, name: 'chatbot' };
const CANARY = `/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/chatbot`;

test('an approval promotes only while it names the identity the API server authenticated for its writer', async () => {
  const cluster = await startTestCluster();
  const flagger = flaggerWrites(cluster.api.url, cluster.kube);
  const gate = await startGate(cluster.kc);
  try {
    await deployChatbot(cluster.kube, { revision: 'v2' });
    await flagger.analyse('chatbot', [10, 20]);
    await flagger.status('chatbot', 'WaitingPromotion');
    await approve(cluster.kube, REF, { note: 'github:ana https://github.com/o/r/actions/runs/1' });

    // Someone who may patch Canaries (the deploy credential) strips who approved.
    const response = await fetch(`${cluster.api.url}${CANARY}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({
        metadata: {
          annotations: { 'greenlight.dev/approved-by': null, 'greenlight.dev/approved-note': null },
        },
      }),
    });
    expect(response.ok).toBe(true);

    const payload = await readWebhookPayload(cluster.kube, REF);
    let status = 503;
    await eventually(async () => {
      status = (await gate.post('/gate/promotion', payload)).status;
      return status !== 503;
    });
    // A yes promotes with no approver on record: the gate's Event would read "was approved."
    expect(status).toBe(403);
  } finally {
    await gate.stop();
    await cluster.close();
  }
}, 30_000);
