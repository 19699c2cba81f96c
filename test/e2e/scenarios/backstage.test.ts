// The Backstage dev app (backstage-plugin/dev: the real backend and frontend plugins in a
// small Backstage app) against the real control plane: Flagger holds rev-2 waiting for
// approval, a person signed in as guest opens the chatbot's Rollout tab in Chromium and
// presses Approve, and the page shows Flagger's promotion; Backstage's notifications page
// tells the guest, who owns the chatbot's entity, and links the Rollout tab. Screenshots are kept in
// $GREENLIGHT_ARTIFACTS (default test-results/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Canary } from 'flagger-types';
import { startDevApp, type DevApp } from '../../../backstage-plugin/dev/src/start.ts';
import { launchChromium } from '../harness/browser.ts';
import { deploy, deploymentRevision } from '../harness/chatbot.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { scenario as withReport } from '../harness/report.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';

const NAME = 'chatbot';
const ARTIFACTS =
  process.env.GREENLIGHT_ARTIFACTS ??
  fileURLToPath(new URL('../../../test-results/', import.meta.url));

let plane: ControlPlane;
let rollout: RolloutWatch;
let app: DevApp;
let browser: Browser;

beforeAll(async () => {
  // Chromium first: a machine without it fails here, before minutes of control plane.
  browser = await launchChromium();
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's TrafficSplit.
  plane.mesh.users.setRate(NAME, 10);
  app = await startDevApp({
    kubeconfig: plane.apiserver.adminKubeconfig,
    prometheusUrl: plane.prometheus.url,
    metricsSource: 'prometheus',
    logFile: join(plane.dir, 'backstage.log'),
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);

/** Opens the chatbot's Rollout tab, signing in as guest on the way. */
async function openRolloutTab(page: Page): Promise<void> {
  await page.goto(app.rolloutUrl(NAME));
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByText(`Rollout of ${FUNCTIONS_NAMESPACE}/${NAME}`).waitFor();
}

scenario(
  'a person approves the waiting rollout in Backstage, Flagger promotes it, and the page shows it succeeded',
  async () => {
    await deploy(plane, { name: NAME, revision: 'rev-1' });
    await rollout.until('Initialized');
    await deploy(plane, { name: NAME, revision: 'rev-2' });
    await rollout.until('WaitingPromotion');

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openRolloutTab(page);
    const banner = page.getByText('Revision rev-2 passed its analysis and waits for approval');
    await banner.waitFor({ timeout: 30_000 });
    // Enabled once the page knows the user may approve (a trial click waits for that).
    const approveButton = page.getByRole('button', { name: 'Approve' });
    await approveButton.click({ trial: true });
    await page.screenshot({ path: join(ARTIFACTS, 'backstage-waiting-for-approval.png') });

    await approveButton.click();
    await rollout.until('Succeeded', 120_000);
    // The page polls every 5 s; it shows the outcome without a reload.
    await page.getByText('Succeeded', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'backstage-promoted.png'), fullPage: true });

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
    // The approval went through the backend for the signed-in user: the API server names the
    // backend's own identity (the one the admission policy admits), the note names the user.
    const canary = await plane.kube.get<Canary & { kind: string }>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: FUNCTIONS_NAMESPACE,
      name: NAME,
    });
    expect(canary?.metadata?.annotations).toMatchObject({
      'greenlight.dev/approved-revision': 'rev-2',
      'greenlight.dev/approved-by': 'e2e-admin',
      'greenlight.dev/approved-note': 'backstage:user:development/guest',
    });

    // The guest owns the chatbot's entity: Backstage's notifications page says the outcome
    // (it replaced "waits for approval"), linking the Rollout tab.
    await page.goto(`${app.url}/notifications`);
    const notice = page.getByText(`${NAME} revision rev-2 was promoted`);
    for (let attempt = 0; !(await notice.isVisible()) && attempt < 15; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await page.reload();
    }
    await notice.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'backstage-notifications.png'), fullPage: true });
    await notice.click();
    await page.getByText(`Rollout of ${FUNCTIONS_NAMESPACE}/${NAME}`).waitFor();
    await page.close();
  },
);
