// The Backstage plugin as an adopter installs it: an app made by @backstage/create-app (yarn 4
// through corepack, on Node 22: APP_NODE_MAJOR in backstage/app.ts says why not 24), the release dry run's tarballs added with yarn following
// backstage-plugin/README.md word for word (read from the README: backstage/readme.ts), then
// the app's own `yarn tsc` and `yarn build:backend` (which builds the frontend too), its
// backend started with the plugin against the sandbox, and in Chromium the chatbot's
// Rollout tab: Approve, then the promotion. Prints the install time and the plugin's added
// size. The scaffold is cached per create-app version (backstage/app.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { stringify } from 'yaml';
import { createKubeClient, loadKubeConfig } from '@greenlight/core';
import type { Canary } from 'flagger-types';
import { dryRun, type Artifact } from '../../release/dry-run.ts';
import {
  adopterShell,
  APP_NODE_MAJOR,
  cacheRoot,
  lockApp,
  pristineApp,
  type BackstageApp,
  type Shell,
} from './backstage/app.ts';
import { readmeSteps, type ReadmeSteps } from './backstage/readme.ts';
import { freePort, start, type Running } from './backstage/running.ts';
import { nodeBin, ROOT } from './tools.ts';

const FRONTEND = '@greenlight/backstage-plugin-greenlight';
const BACKEND = '@greenlight/backstage-plugin-greenlight-backend';
const CHROMIUM = process.env.GREENLIGHT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.GREENLIGHT_ARTIFACTS ?? join(ROOT, 'test-results');

const figures: string[] = [];
const log = (line: string) => process.stdout.write(`adoption/backstage: ${line}\n`);
let shell: Shell;
let app: BackstageApp;
let steps: ReadmeSteps;
let tarballs: Map<string, string>;
let sandbox: Running | undefined;
let backend: Running | undefined;
let browser: Browser | undefined;
let unlock: (() => Promise<void>) | undefined;
let work: string | undefined;

/** Bytes under the app's node_modules folders (the root's and each workspace's). */
async function installedBytes(): Promise<number> {
  const { out } = await shell(
    'sh',
    ['-c', 'du -sbc node_modules packages/*/node_modules 2>/dev/null | tail -1'],
    {
      cwd: app.dir,
    },
  );
  return Number(out.trim().split(/\s+/)[0]);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The README's command with its package named as a tarball, the registry's stand-in. */
function withTarball(words: string[], name: string): string[] {
  if (!words.includes(name))
    throw new Error(`README command "${words.join(' ')}" does not add ${name}`);
  return words.map((word) => (word === name ? `${name}@file:${tarballs.get(name)}` : word));
}

/** A user token from the guest provider create-app configures, once auth has started. */
async function guestToken(url: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 60; attempt++) {
    const res = await fetch(`${url}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    last = `${res.status} ${await res.text()}`;
    if (res.status === 200) {
      return (JSON.parse(last.slice(4)) as { backstageIdentity: { token: string } })
        .backstageIdentity.token;
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  throw new Error(
    `guest sign-in at ${url}/api/auth/guest/refresh kept answering ${last.slice(0, 500)}`,
  );
}

beforeAll(async () => {
  steps = readmeSteps();
  const cache = cacheRoot();
  await mkdir(cache, { recursive: true });
  shell = await adopterShell(cache, await nodeBin(APP_NODE_MAJOR), log);
  log(`the app runs on Node ${shell.node}`);
  // GREENLIGHT_RELEASE_DIR: a dry run already made (its artifacts.json); else one now.
  const given = process.env.GREENLIGHT_RELEASE_DIR;
  const artifacts: Artifact[] = given
    ? (JSON.parse(readFileSync(join(given, 'artifacts.json'), 'utf8')) as Artifact[])
    : await dryRun({ out: mkdtempSync(join(tmpdir(), 'greenlight-release-')), image: false, log });
  tarballs = new Map(artifacts.filter((a) => a.kind === 'npm').map((a) => [a.name, a.file]));
  unlock = await lockApp(cache);
  app = await pristineApp(shell, cache);
  if (app.scaffoldSeconds)
    figures.push(
      `create-app ${app.scaffoldSeconds.toFixed(0)} s (scaffold + install + tsc, cached after)`,
    );
}, 1_800_000);

afterAll(async () => {
  await browser?.close();
  await backend?.stop();
  await sandbox?.stop();
  if (work) await rm(work, { recursive: true, force: true });
  await unlock?.();
  if (figures.length)
    process.stdout.write(`\nBackstage adoption figures:\n  ${figures.join('\n  ')}\n`);
});

test('a create-app app installs the packed plugin with yarn by the README, with no other step', async () => {
  // Greenlight's own packages that the plugin's depend on come from the same dry run: the
  // app's resolutions stand in for the registry they are published to.
  const manifest = JSON.parse(readFileSync(join(app.dir, 'package.json'), 'utf8'));
  manifest.resolutions = {
    ...manifest.resolutions,
    ...Object.fromEntries(
      ['@greenlight/core', 'flagger-types', '@greenlight/backstage-plugin-greenlight-common'].map(
        (name) => [name, `file:${tarballs.get(name)}`],
      ),
    ),
  };
  writeFileSync(join(app.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const before = await installedBytes();

  const [yarn = 'yarn', ...backendArgs] = withTarball(steps.backendAdd, BACKEND);
  const added = await shell(yarn, backendArgs, { cwd: app.dir });
  const index = join(app.dir, 'packages/backend/src/index.ts');
  const source = readFileSync(index, 'utf8');
  expect(source).toContain('backend.start();');
  writeFileSync(
    index,
    source.replace('backend.start();', `${steps.backendIndexLines.join('\n')}\n\nbackend.start();`),
  );

  const [, ...appArgs] = withTarball(steps.appAdd, FRONTEND);
  const addedApp = await shell(yarn, appArgs, { cwd: app.dir });
  // create-app's app discovers features (app.packages: all): the README's "nothing else".
  expect(readFileSync(join(app.dir, 'app-config.yaml'), 'utf8')).toMatch(/^\s+packages: all$/m);
  expect(steps.discoveryNeedsNothingElse).toBe(true);

  const after = await installedBytes();
  figures.push(
    `yarn add of the backend + frontend plugin: ${((added.ms + addedApp.ms) / 1000).toFixed(1)} s, ` +
      `node_modules +${mib(after - before)} (${mib(before)} → ${mib(after)})`,
  );
  for (const name of [FRONTEND, BACKEND]) {
    const installed = JSON.parse(
      readFileSync(join(app.dir, 'node_modules', name, 'package.json'), 'utf8'),
    );
    expect(installed.exports['.'].default).toMatch(/^\.\/dist\//);
  }
}, 900_000);

test("the app's own yarn tsc and yarn build:backend pass with the plugin", async () => {
  const tsc = await shell('yarn', ['tsc'], { cwd: app.dir });
  const build = await shell('yarn', ['build:backend'], { cwd: app.dir, timeoutMs: 1_500_000 });
  figures.push(
    `yarn tsc ${(tsc.ms / 1000).toFixed(0)} s, yarn build:backend (frontend included) ${(build.ms / 1000).toFixed(0)} s`,
  );
}, 1_800_000);

test("the app's backend starts with the plugin against the sandbox and serves the chatbot's rollout", async () => {
  work = mkdtempSync(join(tmpdir(), 'greenlight-adoption-sandbox-'));
  // `npm start`'s script without the dev app: v1, then v2 waiting for approval.
  sandbox = start(process.execPath, [join(ROOT, 'sandbox/src/demo/main.ts'), '--no-dev-app'], {
    cwd: work,
    // The repository's Node 24 first, as `npm start` has it: the app's Node 22 is the app's.
    env: { ...shell.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: '1' },
  });
  const [, kubeconfig] = await sandbox.line(/kubeconfig (\S+)/, 60_000);
  const [, metrics] = await sandbox.line(/Prometheus \(stand-in\) +(\S+)/, 60_000);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cluster = steps.annotations['greenlight.dev/cluster'] ?? 'sandbox';
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'chatbot', annotations: steps.annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'guests' },
  };
  writeFileSync(join(app.dir, 'greenlight-chatbot.yaml'), stringify(entity));
  // The README's greenlight: settings with the sandbox for the cluster the entity names.
  const local = {
    app: { baseUrl: url },
    backend: { baseUrl: url, listen: { port, host: '127.0.0.1' }, cors: { origin: url } },
    catalog: {
      locations: [
        {
          type: 'file',
          target: '../../examples/org.yaml',
          rules: [{ allow: ['User', 'Group'] }],
        },
        { type: 'file', target: '../../greenlight-chatbot.yaml' },
      ],
    },
    greenlight: {
      clusters: [{ name: cluster, kubeconfig }],
      prometheus: { url: metrics },
      metrics: { source: 'sandbox' },
    },
  };
  writeFileSync(join(app.dir, 'app-config.local.yaml'), stringify(local));

  backend = start('yarn', ['workspace', 'backend', 'start'], { cwd: app.dir, env: shell.env });
  // backstage-cli keeps watching after the backend dies, so a native abort (better-sqlite3
  // on Node 24: backstage/app.ts) fails the test when it is printed, not at the timeout.
  const [started] = await backend.line(
    /Plugin initialization complete|Assertion failed[^\n]*|FATAL ERROR[^\n]*/,
    300_000,
  );
  if (!started.startsWith('Plugin'))
    throw new Error(`the app's backend aborted: ${started}\n${backend.output().slice(-4000)}`);
  await sandbox.line(/Approval needed/, 120_000);

  const token = await guestToken(url);
  let rollout: Response | undefined;
  for (let attempt = 0; attempt < 60; attempt++) {
    rollout = await fetch(
      `${url}/api/greenlight/rollouts/openfaas-fn/chatbot?entityRef=component:default/chatbot`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    if (rollout.status === 200) break;
    await new Promise((done) => setTimeout(done, 1000));
  }
  expect(rollout?.status).toBe(200);
  expect(await rollout?.json()).toMatchObject({
    rollout: { waitingForApproval: true, revision: 'v2' },
  });
  (globalThis as { adoptionUrl?: string }).adoptionUrl = url;
  (globalThis as { adoptionKubeconfig?: string }).adoptionKubeconfig = kubeconfig;
}, 900_000);

test("in Chromium the chatbot's Rollout tab shows v2 waiting; Approve promotes it", async () => {
  const url = (globalThis as { adoptionUrl?: string }).adoptionUrl;
  const kubeconfig = (globalThis as { adoptionKubeconfig?: string }).adoptionKubeconfig;
  if (!url || !kubeconfig || !sandbox) throw new Error('the backend did not start (previous test)');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(ARTIFACTS, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${url}/catalog/default/component/chatbot/rollout`);
  // create-app's sign-in page offers the guest provider it configures.
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor({ timeout: 120_000 }).then(
    () => enter.click(),
    () => undefined,
  );
  await page.getByText('Rollout of openfaas-fn/chatbot').waitFor({ timeout: 120_000 });
  await page
    .getByText('Revision v2 passed its analysis and waits for approval')
    .waitFor({ timeout: 60_000 });
  const approve = page.getByRole('button', { name: 'Approve' });
  await approve.click({ trial: true, timeout: 30_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'adoption-backstage-waiting.png') });
  await approve.click();
  await sandbox.line(/rollout succeeded/, 120_000);
  await page.getByText('Succeeded', { exact: true }).first().waitFor({ timeout: 30_000 });
  await page.screenshot({
    path: join(ARTIFACTS, 'adoption-backstage-promoted.png'),
    fullPage: true,
  });

  const kube = createKubeClient(loadKubeConfig({ kubeconfig }));
  const canary = await kube.get<Canary & { kind: string }>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: 'openfaas-fn',
    name: 'chatbot',
  });
  expect(canary?.metadata?.annotations?.['greenlight.dev/approved-revision']).toBe('v2');
  // The user the page signed in is the note; the writer is the backend's own Kubernetes
  // identity as the API server authenticates it (the sandbox's kubeconfig has no token).
  expect(canary?.metadata?.annotations?.['greenlight.dev/approved-note']).toMatch(
    /^backstage:user:development\/guest$/,
  );
  expect(canary?.metadata?.annotations?.['greenlight.dev/approved-by']).toBe(
    (await kube.whoAmI()).username,
  );
}, 600_000);
