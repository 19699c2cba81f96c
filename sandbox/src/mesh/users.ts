// Simulated users, really: web-chat messages sent to the apex Service `<name>` through the
// mesh, as the chatbot's users' traffic would arrive, at a rate the caller sets (zero
// allowed, the default). What they ask is fixed — three in ten end with "?", so a revision
// with DEMO_FAULT=fail-questions fails 30 % of them, and the even and the odd messages hold
// three questions in ten each, so a 50/50 round robin gives both sides 30 %; one in ten is
// a statement over 20 characters (DEMO_FAULT=slow-replies answers it in 700 ms). Each round
// of the list starts one message later, so a side that gets every tenth message (a 10 %
// step) still meets every message, 30 % questions over 40 of them. Every reply is a real one.
import { request } from 'node:http';

export const USER_MESSAGES = [
  'hello',
  'ping',
  'what is a canary?',
  'version',
  'hi there',
  'which colour are you?',
  'ping!',
  'thanks',
  'are you the new version?',
  'hey',
  'good morning, how is it going',
  'ping',
  'hello again',
  'can you hear me?',
  'version',
  'tell me about canary releases',
  'is this the green one?',
  'hey there',
  'ping',
  'what did you say?',
] as const;

/** The shortest timer between sends; a higher rate sends several per tick. */
const MIN_TICK_MS = 10;

export interface Users {
  /**
   * Messages per second to `<name>` (default namespace: the mesh's functions namespace); 0
   * stops. With `headers`, a stream of its own whose every request carries them, as a
   * tester's client marks its requests (Flagger's A/B match).
   */
  setRate(
    name: string,
    perSecond: number,
    namespace?: string,
    headers?: Record<string, string>,
  ): void;
  /** Replies received so far for `<name>` (the stream with `headers`), by status (0: no answer). */
  replies(
    name: string,
    namespace?: string,
    headers?: Record<string, string>,
  ): Record<number, number>;
  stop(): Promise<void>;
}

export function startUsers(proxyUrl: string, defaultNamespace: string, port = 8080): Users {
  const proxy = new URL(proxyUrl);
  const timers = new Map<string, NodeJS.Timeout>();
  const counts = new Map<string, Record<number, number>>();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;

  const keyOf = (namespace: string, name: string, headers?: Record<string, string>) =>
    `${namespace}/${name}${headers ? ` ${JSON.stringify(headers)}` : ''}`;
  const send = (
    key: string,
    namespace: string,
    name: string,
    marks: Record<string, string> = {},
  ) => {
    const round = Math.floor(sent / USER_MESSAGES.length);
    const message = USER_MESSAGES[(sent++ + round) % USER_MESSAGES.length]!;
    const body = JSON.stringify({ message, user: `user${sent % 7}` });
    const done = new Promise<void>((resolve) => {
      // A forward proxy takes the absolute URL as the request target (RFC 9112 §3.2.2).
      const req = request({
        host: proxy.hostname,
        port: proxy.port,
        method: 'POST',
        path: `http://${name}.${namespace}:${port}/`,
        headers: {
          ...marks,
          host: `${name}.${namespace}:${port}`,
          'content-type': 'application/json',
        },
        timeout: 5_000,
      });
      const count = (status: number) => {
        const of = counts.get(key) ?? {};
        of[status] = (of[status] ?? 0) + 1;
        counts.set(key, of);
        resolve();
      };
      req.once('response', (res) => {
        res.resume();
        res.once('end', () => count(res.statusCode ?? 0));
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => count(0));
      req.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  return {
    setRate(name, perSecond, namespace = defaultNamespace, headers) {
      const key = keyOf(namespace, name, headers);
      clearInterval(timers.get(key));
      timers.delete(key);
      if (!(perSecond > 0)) return;
      const period = 1000 / perSecond;
      if (period >= MIN_TICK_MS) {
        timers.set(
          key,
          setInterval(() => send(key, namespace, name), period),
        );
        return;
      }
      // Faster than a timer ticks (the sandbox runs its users `speed` times faster): each
      // tick sends what is due since the last, so the rate holds on a busy event loop too.
      let last = performance.now();
      let due = 0;
      const tick = () => {
        const now = performance.now();
        due += ((now - last) * perSecond) / 1000;
        last = now;
        for (; due >= 1; due--) send(key, namespace, name);
      };
      timers.set(key, setInterval(tick, MIN_TICK_MS));
    },
    replies: (name, namespace = defaultNamespace, headers) => ({
      ...counts.get(keyOf(namespace, name, headers)),
    }),
    async stop() {
      for (const timer of timers.values()) clearInterval(timer);
      timers.clear();
      await Promise.all(inFlight);
    },
  };
}
