// Review of issue 12: approving a revision Flagger has not picked up yet. The README says
// `approve` "is refused (exit 2) until Flagger analyses the revision", and the action's
// promote waits "until Flagger analyses each revision". Both check only that Flagger analyses
// *something* (core's analysisOf) and that the target Deployment's annotation names the
// revision: right after a deploy of v3, while Flagger still analyses v2 (its next check is up
// to one interval away), the approval of v3 is written bound to v2's checksum and run. The
// person approved v3; the checksum names v2's pod template, so the record is false, `status`
// shows it as applying, and once Flagger restarts on v3 (same run start: the Promoted
// condition stays Unknown) it names another template and the promotion hangs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { APPROVED_CHECKSUM, APPROVED_REVISION, createKubeClient } from '@greenlight/core';
import { renderKubeconfig, startApiServer } from '@greenlight/sandbox';
import { deployChatbot } from '../../support/cluster.ts';
import { readWebhookPayload, writeCanaryStatus } from '../../support/flagger-writes.ts';
import { runBin } from '../../../packages/cli/test/run-bin.ts';

const NS = 'openfaas-fn';
const TOKEN = 'approver-token';

test('approve is refused for a revision Flagger has not started analysing, even while it analyses the previous one', async () => {
  const api = await startApiServer({ token: TOKEN });
  try {
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfig());
    const kube = createKubeClient(kc);
    const dir = mkdtempSync(join(tmpdir(), 'greenlight-review-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, renderKubeconfig(api.url, TOKEN), { mode: 0o600 });

    // v2 is under analysis, held at confirm-promotion.
    await deployChatbot(kube, { revision: 'v2' });
    const status = { namespace: NS, name: 'chatbot', token: TOKEN };
    await writeCanaryStatus(api.url, status, 'WaitingPromotion');
    const v2 = await readWebhookPayload(kube, { namespace: NS, name: 'chatbot' });

    // The deploy of v3 lands; Flagger's next check has not run yet.
    await deployChatbot(kube, { revision: 'v3' });
    const result = await runBin(['approve', 'openfaas-fn/chatbot', '--revision', 'v3'], {
      KUBECONFIG: kubeconfig,
    });

    const canary = await kube.get<Canary>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: NS,
      name: 'chatbot',
    });
    const annotations = canary?.metadata.annotations ?? {};
    // What was written, if anything: an approval of v3 bound to v2's analysis.
    const written = {
      revision: annotations[APPROVED_REVISION],
      checksumIsV2s: annotations[APPROVED_CHECKSUM] === v2.checksum,
    };
    expect({ code: result.code, written }).toEqual({
      code: 2,
      written: { revision: undefined, checksumIsV2s: false },
    });
  } finally {
    await api.close();
  }
}, 30_000);
