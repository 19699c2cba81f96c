import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeClient, ObjectRef } from '../kube/types.ts';
import { revisionOf } from '../revision.ts';

const POLL_MS = 1000;

/**
 * Resolves true once Deployment `primary` runs `revision` (Flagger promoted it), false when
 * `timeoutMs` passed or `signal` aborted first. Polls: one read a second.
 */
export async function untilPromoted(
  kube: KubeClient,
  primary: ObjectRef,
  revision: string,
  { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deployment = await kube.get<V1Deployment>(primary).catch(() => undefined);
    if (revisionOf(deployment) === revision) return true;
    if (signal?.aborted || Date.now() >= deadline) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
