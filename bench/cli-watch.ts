// Kubernetes API requests for one whole rollout (issue 18): `greenlight watch` beside the
// action's follow, each over the same analysis (bench/rollout-stand-in.ts: 5 steps and
// promotion, 8 status changes), counted where the API stand-in receives them.
//
//   npm run bench:watch
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@greenlight/cli';
import { follow } from '../action/src/follow/follow.ts';
import { analysis, breakdown, GAP_MS, NS, setup, STEPS } from './rollout-stand-in.ts';

/** `greenlight watch openfaas-fn/chatbot` from the first status write to its exit. */
async function cliWatch(): Promise<{ requests: string; lines: number; exit: number }> {
  const { api } = await setup();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-bench-')), 'kubeconfig');
  await api.writeKubeconfig(kubeconfig);
  const before = api.requestLog.length;
  let lines = 0;
  const io = { out: () => void (lines += 1), err: () => {}, env: {} };
  const watching = run(['watch', `${NS}/chatbot`, '--kubeconfig', kubeconfig], io);
  const [exit] = await Promise.all([watching, analysis(api, () => {})]);
  const requests = breakdown(api.requestLog.slice(before));
  await api.close();
  return { requests, lines, exit };
}

/** The action's follow as `promote` runs it: the revision under analysis, nothing started. */
async function actionFollow(): Promise<{ requests: string; outcome?: string }> {
  const { api, kc } = await setup();
  const before = api.requestLog.length;
  const following = follow({
    kc,
    namespace: NS,
    canaries: [{ name: 'chatbot', revision: 'v2' }],
    until: 'done',
    deadline: Date.now() + 60_000,
    log: () => {},
  });
  const [[result]] = await Promise.all([following, analysis(api, () => {})]);
  const requests = breakdown(api.requestLog.slice(before));
  await api.close();
  return { requests, outcome: result?.outcome };
}

const cli = await cliWatch();
const action = await actionFollow();
console.log(
  `One rollout: ${STEPS.length} steps and promotion, ${STEPS.length + 3} status changes ${GAP_MS} ms apart. API requests:`,
);
console.log(`  greenlight watch:   ${cli.requests} — ${cli.lines} lines, exit ${cli.exit}`);
console.log(`  the action's follow: ${action.requests} — ${action.outcome}`);
