// What a chat probe costs: the requests one analysis iteration sends to the canary and the
// time one probe run takes, for the example's probes.yml against the real example chatbot
// (createChatbotServer, Slack signatures verified) on loopback.
//
//   npm run bench:probe
//
// Requests are counted where they arrive (the chatbot server's own request events), not
// computed from the file. Loopback has no network: in a cluster add the round trip through
// Linkerd to <name>-canary per request.
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadProbeFile, resolveCanaryOptions, runProbe } from '@greenlight/core';
import { createChatbotServer } from '@greenlight/example-chatbot';

const RUNS = 15;
const SECRET = 'bench-signing-secret';
const probesFile = fileURLToPath(new URL('../examples/chatbot/probes.yml', import.meta.url));

const probe = (await loadProbeFile(probesFile))?.functions.chatbot;
if (!probe) throw new Error(`${probesFile} has no chatbot`);
const turns = probe.conversations.reduce((n, c) => n + c.turns.length, 0);
const rolloutRounds = resolveCanaryOptions({ namespace: 'bench' }).probeRounds;

const bot = createChatbotServer({ color: 'green', revision: 'bench', signingSecret: SECRET });
let received = 0;
bot.on('request', () => received++);
await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;

async function measure(rounds: number) {
  const times: number[] = [];
  const counts: number[] = [];
  // One warm-up run: the first connection and JIT are not what each iteration pays.
  await runProbe(probe!, { baseUrl, rounds, signingSecret: SECRET });
  for (let i = 0; i < RUNS; i++) {
    const before = received;
    const started = performance.now();
    const run = await runProbe(probe!, { baseUrl, rounds, signingSecret: SECRET });
    times.push(performance.now() - started);
    if (!run.ok) throw new Error(`the example probe failed: ${JSON.stringify(run.failure)}`);
    counts.push(received - before);
  }
  return { times, counts };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

const load = loadavg()[0]!;
console.log(
  `examples/chatbot/probes.yml: ${probe.conversations.length} conversations, ${turns} turns (${probe.conversations
    .flatMap((c) => c.turns.map((t) => t.request.kind))
    .join(', ')})`,
);
for (const [webhook, rounds] of [
  ['pre-rollout', 1],
  ['rollout', rolloutRounds],
] as const) {
  const { times, counts } = await measure(rounds);
  const requests = new Set(counts);
  console.log(
    `${webhook.padEnd(11)} rounds ${String(rounds).padStart(2)}: ${[...requests].join('/')} requests per iteration; one run median ${ms(median(times))} (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}), ${ms(median(times) / counts[0]!)} per request`,
  );
}
console.log(
  `median of ${RUNS} runs after one warm-up · loopback · ${availableParallelism()} CPUs, load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
);
bot.closeAllConnections();
bot.close();
