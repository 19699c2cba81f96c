import type { KubernetesObject } from '@kubernetes/client-node';
import type { EventInput } from '@greenlight/core';
import { EventQueue } from '../src/event-queue.ts';
import { GateMetrics } from '../src/metrics.ts';
import { DecisionRecorder } from '../src/recorder.ts';

/** An EventSink whose writes finish only when the test says, counting those in flight. */
function heldSink() {
  const held: Array<{ event: EventInput; done: () => void }> = [];
  const written: EventInput[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sink = {
    recordEvent: (_: KubernetesObject, event: EventInput) =>
      new Promise<void>((resolve) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        held.push({
          event,
          done: () => {
            inFlight -= 1;
            written.push(event);
            resolve();
          },
        });
      }),
  };
  return {
    sink,
    held,
    written,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    /** Finishes every write in flight, then lets the queue start the next ones. */
    async releaseAll() {
      held.splice(0).forEach((write) => write.done());
      await new Promise((resolve) => setImmediate(resolve));
    },
    /** Lets every write queued so far start and finish. */
    async finishAll() {
      await new Promise((resolve) => setImmediate(resolve));
      while (held.length > 0) await this.releaseAll();
    },
  };
}

const canary = (name: string): KubernetesObject => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { namespace: 'openfaas-fn', name },
});
const refused = { gate: 'promotion', code: 'NotApproved', allowed: false, reason: 'not approved' };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('event writes', () => {
  it('a burst of distinct refusals never has more than the limit in flight, and all are written', async () => {
    const api = heldSink();
    const recorder = new DecisionRecorder(api.sink, { concurrency: 4 });
    for (let i = 0; i < 50; i++) recorder.record(canary(`chatbot-${i}`), refused);
    await settle();
    expect(api.inFlight()).toBe(4);
    while (api.written.length < 50) {
      await api.releaseAll();
      expect(api.inFlight()).toBeLessThanOrEqual(4);
    }
    await recorder.flush();
    expect(api.maxInFlight()).toBe(4);
    expect(new Set(api.written.map((e) => e.message)).size).toBe(1);
    expect(api.written).toHaveLength(50);
  });

  it('keeps only the latest waiting write for one canary and decision', async () => {
    const api = heldSink();
    const recorder = new DecisionRecorder(api.sink, { concurrency: 1, repeatEveryMs: 1000 });
    recorder.record(canary('busy'), refused, 0); // in flight: the rest wait
    recorder.record(canary('chatbot'), { ...refused, reason: 'first' }, 0);
    recorder.record(canary('chatbot'), { ...refused, reason: 'again' }, 500); // folded (repeat)
    recorder.record(canary('chatbot'), { ...refused, reason: 'latest' }, 2000); // replaces 'first'
    recorder.record(
      canary('chatbot'),
      { ...refused, code: 'OtherRevision', reason: 'moved' },
      2000,
    );
    await api.finishAll();
    await recorder.flush();
    expect(api.written.map((e) => e.message)).toEqual([
      'not approved',
      'latest (same decision 1 more times since the last event)',
      'moved',
    ]);
  });

  it('drops writes past the queue cap, counts each, logs once, and tries a dropped decision again', async () => {
    const api = heldSink();
    const metrics = new GateMetrics();
    const logged: string[] = [];
    const recorder = new DecisionRecorder(api.sink, {
      concurrency: 1,
      maxQueued: 2,
      onDrop: () => metrics.eventsDropped.inc(),
      log: (line) => logged.push(line),
    });
    for (let i = 0; i < 10; i++) recorder.record(canary(`chatbot-${i}`), refused, 0);
    expect((await metrics.eventsDropped.get()).values[0]?.value).toBe(7);
    expect(logged).toEqual(['dropped 1 event write(s): 2 already waiting']);
    await api.finishAll();
    recorder.record(canary('chatbot-9'), refused, 1); // dropped before, so not a repeat now
    recorder.record(canary('chatbot-0'), refused, 1); // written before: folded
    await api.finishAll();
    await recorder.flush();
    expect(api.written).toHaveLength(4);
  });

  it('never coalesces writes queued without a key (probe runs)', async () => {
    const api = heldSink();
    const queue = new EventQueue({ concurrency: 1 });
    for (let i = 0; i < 3; i++)
      queue.enqueue(() =>
        api.sink.recordEvent(canary('c'), { type: 'Normal', reason: 'R', message: `${i}` }),
      );
    await api.finishAll();
    await queue.flush();
    expect(api.written.map((e) => e.message)).toEqual(['0', '1', '2']);
  });
});
