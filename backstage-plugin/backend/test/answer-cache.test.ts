import { describe, expect, test } from '@jest/globals';
import { AnswerCache } from '../src/service/answer-cache.ts';

/** A Prometheus round the test settles by hand, counting how often it was asked. */
function rounds() {
  const pending: { resolve(value: string): void; reject(error: Error): void }[] = [];
  return {
    pending,
    load: () =>
      new Promise<string>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  };
}

describe('answer cache (stale-while-revalidate)', () => {
  let now = 0;
  const cache = () => new AnswerCache({ freshMs: 5000, staleMs: 30_000, now: () => now });

  test('shares one round between everyone who asks while it loads, and reuses a fresh answer', async () => {
    now = 0;
    const answers = cache();
    const { pending, load } = rounds();
    const first = answers.get('fleet', load);
    const second = answers.get('fleet', load);
    expect(pending).toHaveLength(1);
    pending[0]?.resolve('a');
    expect([await first, await second]).toEqual(['a', 'a']);
    now = 4999;
    expect(await answers.get('fleet', load)).toBe('a');
    expect(pending).toHaveLength(1);
  });

  test('serves the last answer at once while one refresh runs, then the refreshed one', async () => {
    now = 0;
    const answers = cache();
    const { pending, load } = rounds();
    const first = answers.get('fleet', load);
    pending[0]?.resolve('a');
    await first;
    now = 6000;
    expect(await answers.get('fleet', load)).toBe('a');
    expect(await answers.get('fleet', load)).toBe('a');
    expect(pending).toHaveLength(2);
    pending[1]?.resolve('b');
    await Promise.resolve();
    expect(await answers.get('fleet', load)).toBe('b');
    expect(pending).toHaveLength(2);
  });

  test('never serves an answer older than the stale bound: the view waits for the next round', async () => {
    now = 0;
    const answers = cache();
    const { pending, load } = rounds();
    const first = answers.get('fleet', load);
    pending[0]?.resolve('a');
    await first;
    now = 30_000;
    const waiting = answers.get('fleet', load);
    let settled = false;
    void waiting.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    pending[1]?.resolve('b');
    expect(await waiting).toBe('b');
  });

  test('keeps serving the last answer when a refresh fails, and asks again on the next view', async () => {
    now = 0;
    const answers = cache();
    const { pending, load } = rounds();
    const first = answers.get('fleet', load);
    pending[0]?.resolve('a');
    await first;
    now = 10_000;
    expect(await answers.get('fleet', load)).toBe('a');
    pending[1]?.reject(new Error('Prometheus is down'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await answers.get('fleet', load)).toBe('a');
    expect(pending).toHaveLength(3);
  });

  test('does not keep a first failure: the next view asks Prometheus again', async () => {
    now = 0;
    const answers = cache();
    const { pending, load } = rounds();
    const first = answers.get('fleet', load);
    pending[0]?.reject(new Error('Prometheus is down'));
    await expect(first).rejects.toThrow('Prometheus is down');
    const second = answers.get('fleet', load);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve('a');
    expect(await second).toBe('a');
  });
});
