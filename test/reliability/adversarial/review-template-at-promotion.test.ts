// Review of issue 12: the gate's 200 and what Flagger then copies. Flagger v1.44's
// advanceCanary (pkg/controller/scheduler.go) checks hasCanaryRevisionChanged at the start
// of a check, then runs the rollback hooks and the metric queries, then confirm-promotion,
// and on a pass calls Promote, which copies the target Deployment's pod template *as it is
// then* to the primary. Flagger's status (and so its webhook checksum) still names the
// template it analysed. An attacker who may patch Deployments swaps the image, the revision
// annotation left as it was, after Flagger's check and before its confirm-promotion call:
// the payload's checksum, the Canary's status and the approval all still agree, and the
// gate's live read looks only at the revision annotation. The promise (README, "The
// approval protocol"): another image under the same revision annotation needs a new approval.
import type { KubeClient } from '@greenlight/core';
import { approve } from '@greenlight/core';
import type { V1Deployment } from '@kubernetes/client-node';
import { deployChatbot, eventually, startTestCluster } from '@greenlight/test-kit/cluster';
import { flaggerWrites, readWebhookPayload } from '@greenlight/test-kit/flagger';
import { startGate } from '@greenlight/test-kit/processes/gate';

const NS = 'openfaas-fn';
const REF = { namespace: NS, name: 'chatbot' };
const DEPLOYMENT = `/apis/apps/v1/namespaces/${NS}/deployments/chatbot`;

async function imageOf(kube: KubeClient): Promise<string | undefined> {
  const deployment = await kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    ...REF,
  });
  return deployment?.spec?.template.spec?.containers[0]?.image;
}

test('the gate gives no 200 while the target Deployment holds another pod template than the one Flagger analysed and the person approved', async () => {
  const cluster = await startTestCluster();
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const flagger = flaggerWrites(cluster.api.url, cluster.kube, {
    clock: () => new Date((clock += 60_000)),
  });
  const gate = await startGate(cluster.kc);
  try {
    await deployChatbot(cluster.kube, { revision: 'v2' });
    await flagger.analyse('chatbot', [10, 20]);
    await flagger.status('chatbot', 'WaitingPromotion');
    const analysed = await imageOf(cluster.kube);
    // The approver approves the analysis of v2 as it is: bound to its checksum and run.
    await approve(cluster.kube, REF, { note: 'ana' });

    // Control: the gate says yes for exactly that template.
    const payload = await readWebhookPayload(cluster.kube, REF);
    let control = 0;
    await eventually(async () => {
      control = (await gate.post('/gate/promotion', payload)).status;
      return control !== 503;
    });
    expect(control).toBe(200);

    // Flagger's next check has passed hasCanaryRevisionChanged; its metric queries run.
    // Meanwhile the attacker (patch on Deployments only) swaps the image under v2.
    const response = await fetch(`${cluster.api.url}${DEPLOYMENT}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({
        spec: {
          template: {
            spec: { containers: [{ name: 'chatbot', image: 'registry.local/chatbot:mallory' }] },
          },
        },
      }),
    });
    expect(response.ok).toBe(true);
    expect(await imageOf(cluster.kube)).not.toBe(analysed);

    // Flagger asks confirm-promotion with the checksum of the status it has not rewritten;
    // a 200 now makes Promote copy the mallory image to the primary.
    const asked = await readWebhookPayload(cluster.kube, REF);
    expect(asked.checksum).toBe(payload.checksum);
    // Give the caches time to see the swap: what matters is the answer once they have.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answer = await gate.post('/gate/promotion', asked);
    expect(answer.status).not.toBe(200);
  } finally {
    await gate.stop();
    await cluster.close();
  }
}, 30_000);
