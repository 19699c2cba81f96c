// Benchmarks of the GitHub Action (issue 4), printed, never asserted:
// 1. following one canary through a full analysis: Kubernetes API requests made and the
//    delay from a status write to the action's log line — the action's watch-based follow
//    beside a follower that polls every 5 s (Flagger's own e2e scripts poll `kubectl get`);
// 2. the bundle's cold start: `node action/dist/index.js` to its first log line.
// Run: npm exec -- node bench/action-follow.ts
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { V1Deployment } from '@kubernetes/client-node';
import { startApiServer } from '@greenlight/sandbox';
import { interpret } from '@greenlight/core';
import type { Canary, TrafficSplit } from 'flagger-types';
import { follow } from '../action/src/follow/follow.ts';
import {
  analysis,
  breakdown,
  GAP_MS,
  median,
  NS,
  previousRollout,
  setup,
  SPEC,
  STEPS,
} from './rollout-stand-in.ts';

const POLL_MS = 5000;

/**
 * The action's follow. `deployed`: as after its deploy, which started the rollout (since,
 * previousSpec) onto a Canary Flagger left Succeeded; else as after promote, following the
 * revision under analysis with nothing started.
 */
async function watchFollower(deployed: boolean): Promise<{ requests: string; delays: number[] }> {
  const { api, kc } = await setup();
  if (deployed) previousRollout(api);
  const written = new Map<string, number>();
  const delays: number[] = [];
  const before = api.requestLog.length;
  const since = new Date(Date.now() - 1000);
  const following = follow({
    kc,
    namespace: NS,
    canaries: [
      { name: 'chatbot', revision: 'v2', ...(deployed ? { since, previousSpec: SPEC.v1 } : {}) },
    ],
    until: 'done',
    deadline: Date.now() + 60_000,
    log: (line) => {
      const match = /(Progressing|Succeeded) · green (\d+)%/.exec(line);
      const key = match && `${match[1]} ${match[1] === 'Succeeded' ? 0 : match[2]}`;
      const at = key ? written.get(key) : undefined;
      if (at !== undefined) delays.push(performance.now() - at);
    },
  });
  const run = analysis(api, (label) => written.set(label, performance.now()), deployed);
  const [[result]] = await Promise.all([following, run]);
  if (result?.outcome !== 'succeeded') throw new Error(`the follow ended ${result?.outcome}`);
  const requests = api.requestLog.slice(before);
  await api.close();
  return { requests: breakdown(requests), delays };
}

async function pollingFollower(): Promise<{ requests: string; delays: number[] }> {
  const { api, kube } = await setup();
  const written = new Map<string, number>();
  const delays: number[] = [];
  const before = api.requestLog.length;
  let done = false;
  let last = '';
  const poll = async () => {
    while (!done) {
      const ref = (apiVersion: string, kind: string, name: string) => ({
        apiVersion,
        kind,
        namespace: NS,
        name,
      });
      const [canary, route, target, primary] = await Promise.all([
        kube.get<Canary>(ref('flagger.app/v1beta1', 'Canary', 'chatbot')),
        kube.get<TrafficSplit>(ref('split.smi-spec.io/v1alpha1', 'TrafficSplit', 'chatbot')),
        kube.get<V1Deployment>(ref('apps/v1', 'Deployment', 'chatbot')),
        kube.get<V1Deployment>(ref('apps/v1', 'Deployment', 'chatbot-primary')),
      ]);
      const view = interpret({ canary: canary as Canary, route, target, primary, following: 'v2' });
      const key = `${view.phase} ${view.phase === 'Succeeded' ? 0 : view.weights.green}`;
      if (key !== last && written.has(key))
        delays.push(performance.now() - (written.get(key) as number));
      last = key;
      if (view.verdict === 'succeeded') return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  const polling = poll();
  await analysis(api, (label) => written.set(label, performance.now()));
  await polling;
  done = true;
  const requests = api.requestLog.slice(before);
  await api.close();
  return { requests: breakdown(requests), delays };
}

async function coldStart(runs = 5): Promise<number[]> {
  const api = await startApiServer({ port: 0 });
  const entry = fileURLToPath(new URL('../action/dist/index.js', import.meta.url));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [entry], {
        env: {
          PATH: process.env.PATH,
          INPUT_COMMAND: 'status',
          INPUT_KUBECONFIG: api.kubeconfig(),
        },
      });
      child.stdout.once('data', () => {
        times.push(performance.now() - started);
      });
      child.on('close', () => resolve());
    });
  }
  await api.close();
  return times;
}

const watchedDeploy = await watchFollower(true);
const watched = await watchFollower(false);
const polled = await pollingFollower();
const cold = await coldStart();
const ms = (n: number) => `${Math.round(n)} ms`;
console.log(
  `Following one canary through ${STEPS.length} steps and promotion (${STEPS.length + 3} status changes, ${GAP_MS} ms apart; the delay is measured on the ${STEPS.length + 1} Progressing and Succeeded ones):`,
);
console.log(
  `  watch (the action, after its deploy): ${watchedDeploy.requests} API requests, delay median ${ms(median(watchedDeploy.delays))}, max ${ms(Math.max(...watchedDeploy.delays))} (${watchedDeploy.delays.length} changes seen)`,
);
console.log(
  `  watch (the action, as promote):       ${watched.requests} API requests, delay median ${ms(median(watched.delays))}, max ${ms(Math.max(...watched.delays))} (${watched.delays.length} changes seen)`,
);
console.log(
  `  poll every 5 s:                       ${polled.requests} API requests, delay median ${ms(median(polled.delays))}, max ${ms(Math.max(...polled.delays))} (${polled.delays.length} of ${STEPS.length + 1} changes seen)`,
);
console.log(
  `Cold start, node action/dist/index.js to its first log line: median ${ms(median(cold))} (${cold.map(ms).join(', ')})`,
);
