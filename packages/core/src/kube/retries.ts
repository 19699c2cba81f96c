// Transient API failures — a 5xx, a 429, a connection dropped before the answer — are retried
// a few times before anyone sees them: a runner's one-off deploy should not fail on a blip
// that client-go's controllers would ride out. Only operations a repeat cannot change are
// retried: reads, server-side apply and merge patches (the same body twice is the same object).
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError } from './errors.ts';
import type { KubeClient } from './types.ts';

const ATTEMPTS = 4;
const BACKOFF_MS = 100;

/** Whether the API may not have seen the request, or may answer differently next time. */
export function retriable(error: unknown): boolean {
  if (!(error instanceof KubeApiError)) return false;
  return error.code === undefined || error.code === 429 || error.code >= 500;
}

/** Runs `op` up to four times while it fails retriably (100, 200, 400 ms apart). */
export async function retrying<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= ATTEMPTS || !retriable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}

/**
 * `kube` with its idempotent operations retried. Events are recorded as they are: without a
 * key a repeat would record a second one (EventInput.key makes them safe to retry).
 */
export function withRetries(kube: KubeClient): KubeClient {
  return {
    get: <T extends KubernetesObject>(...args: Parameters<KubeClient['get']>) =>
      retrying(() => kube.get<T>(...args)),
    list: <T extends KubernetesObject>(...args: Parameters<KubeClient['list']>) =>
      retrying(() => kube.list<T>(...args)),
    apply: <T extends KubernetesObject>(object: T) => retrying(() => kube.apply(object)),
    // A repeat after a lost answer finds the object there: undefined, as create promises.
    create: <T extends KubernetesObject>(object: T) => retrying(() => kube.create(object)),
    mergePatch: <T extends KubernetesObject>(...args: Parameters<KubeClient['mergePatch']>) =>
      retrying(() => kube.mergePatch<T>(...args)),
    recordEvent: (involved, event) =>
      event.key
        ? retrying(() => kube.recordEvent(involved, event))
        : kube.recordEvent(involved, event),
    // A SelfSubjectReview only reads who the caller is.
    whoAmI: () => retrying(() => kube.whoAmI()),
  };
}
