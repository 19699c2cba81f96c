// Review of issue 12: approving a revision Flagger has not picked up yet. Right after a
// deploy of v3, while Flagger still analyses v2 (its next check is up to one interval away),
// an approval of v3 can only be bound to what the Canary reports: v2's checksum and run.
// Flagger's lastAppliedSpec is its Go hash of the pod template, which Greenlight cannot
// compute (docs/design.md, "Flagger facts"), so approve cannot tell "Flagger analyses v3"
// from "Flagger still analyses v2". What must hold is that such an approval promotes
// nothing Flagger did not analyse: once Flagger picks v3 up (a new checksum, the same run)
// the gate refuses it as another template, and `status` says so, so the person approves
// the analysis of v3 again. (README, "The approval protocol", says this limit.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { APPROVED_CHECKSUM, APPROVED_REVISION, createKubeClient } from '@greenlight/core';
import { renderKubeconfig, startApiServer } from '@greenlight/sandbox';
import { deployChatbot } from '@greenlight/test-kit/cluster';
import { readWebhookPayload, writeCanaryStatus } from '@greenlight/test-kit/flagger';
import { runBin } from '@greenlight/test-kit/processes/run-bin';
import { startGate } from '@greenlight/test-kit/processes/gate';

const NS = 'openfaas-fn';
const TOKEN = 'approver-token';

test('an approval of a revision Flagger has not picked up yet promotes nothing: once Flagger analyses it, the gate refuses it and status says it was for another template', async () => {
  const api = await startApiServer({ token: TOKEN });
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  const gate = await startGate(kc);
  try {
    const kube = createKubeClient(kc);
    const dir = mkdtempSync(join(tmpdir(), 'greenlight-review-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, renderKubeconfig(api.url, TOKEN), { mode: 0o600 });

    // v2 is under analysis, held at confirm-promotion.
    await deployChatbot(kube, { revision: 'v2' });
    const status = { namespace: NS, name: 'chatbot', token: TOKEN };
    await writeCanaryStatus(api.url, status, 'WaitingPromotion');
    const v2 = await readWebhookPayload(kube, { namespace: NS, name: 'chatbot' });

    // The deploy of v3 lands; Flagger's next check has not run yet; someone approves v3.
    await deployChatbot(kube, { revision: 'v3' });
    const approved = await runBin(['approve', 'openfaas-fn/chatbot', '--revision', 'v3'], {
      KUBECONFIG: kubeconfig,
    });
    expect(approved.code).toBe(0);
    const canary = await kube.get<Canary>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: NS,
      name: 'chatbot',
    });
    expect(canary?.metadata.annotations?.[APPROVED_REVISION]).toBe('v3');
    expect(canary?.metadata.annotations?.[APPROVED_CHECKSUM]).toBe(v2.checksum);

    // Flagger's next check picks v3 up: a new lastAppliedSpec, the run goes on (Progressing).
    await writeCanaryStatus(api.url, status, 'Progressing');
    await writeCanaryStatus(api.url, status, 'WaitingPromotion');
    const v3 = await readWebhookPayload(kube, { namespace: NS, name: 'chatbot' });
    expect(v3.checksum).not.toBe(v2.checksum);
    let answer = { status: 503, body: {} as { code?: string } };
    const deadline = Date.now() + 10_000;
    while (answer.status === 503 && Date.now() < deadline) {
      const response = await gate.post('/gate/promotion', v3);
      answer = { status: response.status, body: (await response.json()) as { code?: string } };
      if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answer).toEqual({
      status: 403,
      body: expect.objectContaining({ code: 'OtherTemplate' }),
    });

    const shown = await runBin(['status', 'openfaas-fn/chatbot'], { KUBECONFIG: kubeconfig });
    expect(shown.out).toMatch(/another pod template/);
  } finally {
    await gate.stop();
    await api.close();
  }
}, 30_000);
