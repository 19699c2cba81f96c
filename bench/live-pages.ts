// The live pages (issue 18): the dev app's Rollout tab in Chromium, from the Kubernetes API
// write of a rollout step (Flagger's: the TrafficSplit's weights and the Canary's status) to
// the page showing the new weights — one page with Backstage's signals, one without
// (?signals=off: the frontend's signals left out, so it polls every 5 s), both open at once
// on the same backend, CHANGES steps.
//
//   npm run bench:live-pages          (prints both pages' median and max, and the ratio)
//
// The page tells when its DOM showed the weights (its own clock, the machine's, checked every
// 10 ms); the writes wait a random 0–2 s between steps, so the polling page's phase varies.
// Also printed: the Kubernetes API requests other than the backend's watches during the
// steps (the pages read from the backend's watches: none).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDevApp } from '@greenlight/backstage-plugin-greenlight-dev';
import { canaryOf, NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { ChatbotSpec } from '@greenlight/test-kit/cluster/backstage';
import { launchChromium } from '../test/e2e/harness/browser.ts';

const CHANGES = Number(process.env.CHANGES ?? 9);
const spec = (greenWeight: number): ChatbotSpec => ({
  name: 'chatbot',
  phase: 'Progressing',
  greenWeight,
  revision: 'v2',
  promotedRevision: 'v1',
});
const label = (green: number) =>
  `Traffic: ${100 - green}% blue (primary), ${green}% green (canary)`;

const standIn = await startStandIn();
standIn.deploy(spec(10));
standIn.api.store.putStatus(canaryOf(spec(10)));
const app = await startDevApp({
  kubeconfig: standIn.kubeconfig,
  prometheusUrl: standIn.prometheus.url,
  metricsSource: 'sandbox',
  logFile: join(mkdtempSync(join(tmpdir(), 'greenlight-live-pages-')), 'backstage.log'),
});
const browser = await launchChromium();

async function open(url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('img', { name: label(10) }).waitFor({ timeout: 60_000 });
  return page;
}

/** When (ms since the epoch, the page's clock) the page first showed `text` as a label. */
function shown(page: Page, text: string): Promise<number> {
  // Evaluated in the page (a string: this file is type-checked without the DOM's types).
  return page
    .waitForFunction(
      `document.querySelector('[aria-label="${text}"]') ? Date.now() : 0`,
      undefined,
      { polling: 10, timeout: 30_000 },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
}

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, max: sorted[sorted.length - 1]! };
};

try {
  const live = await open(app.rolloutUrl('chatbot'));
  const polled = await open(`${app.rolloutUrl('chatbot')}?signals=off`);
  // Let the live page's WebSocket subscribe before the first step.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const requestsBefore = standIn.api.requestLog.filter((entry) => !entry.watch).length;
  const times = { live: [] as number[], polled: [] as number[] };
  for (let step = 1; step <= CHANGES; step++) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2000));
    const green = 10 + step;
    const seen = [shown(live, label(green)), shown(polled, label(green))];
    const wrote = Date.now();
    standIn.deploy(spec(green));
    standIn.api.store.putStatus(canaryOf(spec(green)));
    const [atLive, atPolled] = await Promise.all(seen);
    times.live.push(atLive! - wrote);
    times.polled.push(atPolled! - wrote);
  }
  const requests = standIn.api.requestLog.filter((entry) => !entry.watch).length - requestsBefore;
  const a = stats(times.live);
  const b = stats(times.polled);
  const row = (name: string, s: { median: number; max: number }, all: number[]) =>
    `${name.padEnd(22)} median ${String(Math.round(s.median)).padStart(5)} ms   max ${String(Math.round(s.max)).padStart(5)} ms   (${all.map((t) => Math.round(t)).join(', ')})`;
  console.log(`Rollout tab of ${NS}/chatbot, API write to the page's DOM, ${CHANGES} steps:`);
  console.log(row('signals', a, times.live));
  console.log(row('polling (signals off)', b, times.polled));
  console.log(
    `polling / signals: median ×${(b.median / a.median).toFixed(0)}, max ×${(b.max / a.max).toFixed(0)}`,
  );
  console.log(`Kubernetes API requests besides the watches during the steps: ${requests}`);
} finally {
  await browser.close();
  await app.stop();
  await standIn.close();
}
