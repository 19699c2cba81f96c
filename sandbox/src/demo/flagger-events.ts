import type { CoreV1Event, KubeConfig } from '@kubernetes/client-node';
import { ObjectCache } from '@greenlight/core';

// Flagger's Events on one Canary as they are recorded — the "why" beside the rollout's
// one-line states (e.g. "Halt chatbot.openfaas-fn advancement success rate 82.00% < 99%").
// Events that repeat at every analysis run without news are left out.

const EVERY_RUN =
  /^(Rollback hook .* not signaling a rollback|all the metrics providers are available!)$/;

export function followFlaggerEvents(
  kc: KubeConfig,
  ref: { namespace: string; name: string },
  onEvent: (event: { type: string; message: string }) => void,
): { ready: Promise<void>; stop(): void } {
  const events = new ObjectCache<CoreV1Event>(kc, {
    apiVersion: 'v1',
    kind: 'Event',
    namespace: ref.namespace,
  });
  events.onChange(({ type, object }) => {
    if (type !== 'ADDED') return;
    const about = object.involvedObject;
    if (about?.kind !== 'Canary' || about.name !== ref.name) return;
    if ((object.source?.component ?? object.reportingComponent) !== 'flagger') return;
    const message = object.message ?? '';
    if (EVERY_RUN.test(message)) return;
    onEvent({ type: object.type ?? 'Normal', message });
  });
  return { ready: events.start(), stop: () => events.stop() };
}
