// Flagger's Promote copies the target Deployment *as it is* to the primary once its
// confirm-promotion webhook passed (docs/design.md, "Flagger facts"). A deploy that changes
// the target while an approval of the run under analysis applies could land between the
// gate's 200 and that copy, and reach the primary unanalysed. So a deploy waits, for a
// bounded time, until Flagger has acted on that approval before it changes the Deployment.
import * as core from '@actions/core';
import type { V1Deployment } from '@kubernetes/client-node';
import { analysisIntervalMs, FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { approvalStateOf, readApproval, type KubeClient } from '@greenlight/core';

const POLL_MS = 500;

async function promotionPending(kube: KubeClient, canary: Canary): Promise<boolean> {
  const phase = canary.status?.phase;
  if (phase !== 'Progressing' && phase !== 'WaitingPromotion') return false;
  // No approval: nothing to wait for, and no read of the target.
  if (!readApproval(canary)) return false;
  const target = await kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: canary.metadata.namespace ?? '',
    name: canary.spec.targetRef.name,
  });
  return approvalStateOf(canary, target) === 'applies';
}

/** Resolves once no approved promotion is pending on `canary` (or after three intervals). */
export async function untilPromotionActedOn(kube: KubeClient, applied: Canary): Promise<void> {
  let canary: Canary | undefined = applied;
  if (!(await promotionPending(kube, canary))) return;
  const name = `${applied.metadata.namespace}/${applied.metadata.name}`;
  core.info(
    `${applied.metadata.name}: an approved promotion is pending on Canary ${name}; waiting for Flagger to promote it before changing the Deployment`,
  );
  const deadline = Date.now() + 3 * analysisIntervalMs(applied);
  while (canary && Date.now() < deadline && (await promotionPending(kube, canary))) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    canary = await kube.get<Canary>({
      apiVersion: FLAGGER_API_VERSION,
      kind: 'Canary',
      namespace: applied.metadata.namespace ?? '',
      name: applied.metadata.name,
    });
  }
}
