import type { KubernetesObject } from '@kubernetes/client-node';
import type { EventInput } from '@greenlight/core';
import { DecisionRecorder } from '../src/recorder.ts';

const canary: KubernetesObject = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { namespace: 'openfaas-fn', name: 'chatbot' },
};
const allowed = { gate: 'promotion', code: 'Approved', allowed: true, revision: 'v2' };

function recorder() {
  const events: EventInput[] = [];
  const sink = {
    recordEvent: async (_: KubernetesObject, event: EventInput) => void events.push(event),
  };
  return { events, recorder: new DecisionRecorder(sink) };
}

describe('the decision recorder', () => {
  it('folds repeats of one decision about one analysis into one Event', async () => {
    const { events, recorder: r } = recorder();
    for (let i = 0; i < 5; i++)
      r.record(canary, { ...allowed, reason: 'approved', checksum: 'c1' }, 1000 + i);
    await r.flush();
    expect(events).toHaveLength(1);
  });

  it('records a new Event when the same revision is decided for another analysis (another pod template)', async () => {
    const { events, recorder: r } = recorder();
    r.record(canary, { ...allowed, reason: 'approved for c1', checksum: 'c1' }, 1000);
    r.record(canary, { ...allowed, reason: 'approved for c2', checksum: 'c2' }, 2000);
    await r.flush();
    expect(events.map((event) => event.message)).toEqual(['approved for c1', 'approved for c2']);
  });
});
