// The CLI as an adopter installs it: the release dry run's tarballs served by a local
// registry, `npm install -g @greenlight/cli` into an empty prefix on Node 22 and on Node 24,
// then the installed `greenlight` — and kubectl's plugin lookup — against the sandbox (API
// stand-in, Flagger-behaving controller, real gate) running here. Prints the install time,
// installed size and cold start on each Node.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProber, startSandbox, type Sandbox } from '@greenlight/sandbox';
import type { RolloutView } from '@greenlight/core';
import { dryRun, type Artifact } from '../../release/dry-run.ts';
import { KubeScenarioCluster } from '../scenarios/kube-cluster.ts';
import { startLocalRegistry, type LocalRegistry } from './registry.ts';
import { CACHE, kubectlBin, nodeBin, ROOT } from './tools.ts';

const STACK = join(ROOT, 'examples/chatbot/stack.yml');
const CANARY = 'openfaas-fn/chatbot';
/** Flagger's shortest interval run 50 times faster, as test/scenarios does. */
const SPEED = 50;
const NODES = [22, 24] as const;
const run = promisify(execFile);

interface Exit {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** `command args` with exactly `env`, as a shell whose PATH starts with the Node under test. */
function exec(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err, ms: performance.now() - started }));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
const waitingFor = (revision: string) => (view: RolloutView) =>
  view.waitingForApproval && view.revision === revision;
const promoted = (revision: string) => (view: RolloutView) =>
  view.phase === 'Succeeded' && view.promotedRevision === revision;

let artifacts: Artifact[];
let registry: LocalRegistry;
let kubectl: string;
let sandbox: Sandbox;
let cluster: KubeScenarioCluster;
let kubeconfig: string;
let globalconfig: string;
const figures: string[] = [];

beforeAll(async () => {
  const started = performance.now();
  // GREENLIGHT_RELEASE_DIR: a dry run already made (its artifacts.json); else one now.
  const given = process.env.GREENLIGHT_RELEASE_DIR;
  artifacts = given
    ? JSON.parse(readFileSync(join(given, 'artifacts.json'), 'utf8'))
    : await dryRun({ out: mkdtempSync(join(tmpdir(), 'greenlight-release-')), image: false });
  figures.push(
    given
      ? `release dry run: made before (GREENLIGHT_RELEASE_DIR=${given})`
      : `release dry run: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const upstream = (await run('npm', ['config', 'get', 'registry'])).stdout.trim();
  globalconfig = (await run('npm', ['config', 'get', 'globalconfig'])).stdout.trim();
  const tarballs = artifacts.filter((artifact) => artifact.kind === 'npm');
  registry = await startLocalRegistry(
    tarballs.map((artifact) => artifact.file),
    upstream,
  );
  kubectl = await kubectlBin();

  sandbox = await startSandbox({ speed: SPEED });
  const prober = await startProber(sandbox);
  cluster = new KubeScenarioCluster({
    kube: sandbox.kube,
    gateUrl: sandbox.gateUrl,
    prometheusAddress: sandbox.metricsUrl,
    probeUrl: prober.url,
    interval: '10s',
    intervalMs: 10_000 / SPEED,
    close: async () => {
      await prober.close();
      await sandbox.close();
    },
  });
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-adoption-')), 'kubeconfig');
  writeFileSync(kubeconfig, sandbox.api.kubeconfig(), { mode: 0o600 });
  await cluster.install({ approval: true });
  await cluster.deploy('r1');
  await cluster.waitFor('r1 initialized as the primary', (view) => view.phase === 'Initialized');
}, 240_000);

afterAll(async () => {
  await cluster?.close();
  await registry?.close();
  process.stdout.write(`\nadoption figures (the installed CLI):\n  ${figures.join('\n  ')}\n\n`);
});

describe.each(NODES)('npm install -g @greenlight/cli on Node %i', (major) => {
  let env: NodeJS.ProcessEnv;
  let prefix: string;

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), `greenlight-prefix-${major}-`));
    env = {
      // The machine's environment (its proxy and CA settings npm needs), less what npm run
      // and Jest add; the Node under test first on PATH and nothing of the repository's.
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) =>
            !/^npm_/i.test(name) && !['PATH', 'KUBECONFIG', 'NODE_OPTIONS'].includes(name),
        ),
      ),
      PATH: [await nodeBin(major), join(prefix, 'bin'), kubectl, '/usr/bin', '/bin'].join(':'),
    };
  }, 120_000);

  test('installs into an empty prefix from the registry, with the CLI’s dependencies only', async () => {
    const install = await exec(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--registry',
        registry.url,
        // --prefix moves npm's global config too: keep the machine's (its cafile, proxy).
        '--globalconfig',
        globalconfig,
        '--cache',
        join(CACHE, 'npm-cache'),
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '@greenlight/cli',
      ],
      env,
    );
    expect(install.err).not.toMatch(/ERR!|EBADENGINE/);
    expect(install.code).toBe(0);
    const { stdout } = await run('du', ['-sk', prefix]);
    const installedMb = Number(stdout.split('\t')[0]) / 1024;
    const tree = JSON.parse(
      (await exec('npm', ['ls', '--global', '--prefix', prefix, '--all', '--json'], env)).out,
    );
    const cli = tree.dependencies['@greenlight/cli'];
    expect(Object.keys(tree.dependencies)).toEqual(['@greenlight/cli']);
    expect(Object.keys(cli.dependencies)).toEqual(
      expect.arrayContaining(['@greenlight/core', 'flagger-types']),
    );
    expect(JSON.stringify(tree)).not.toContain('@greenlight/sandbox');
    figures.push(
      `Node ${major}: npm install -g ${(install.ms / 1000).toFixed(1)} s, installed ${installedMb.toFixed(1)} MiB`,
    );
  });

  test('greenlight --version answers from the built JavaScript; cold start is printed', async () => {
    const node = (await exec('node', ['--version'], env)).out.trim();
    expect(node).toMatch(new RegExp(`^v${major}\\.`));
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const version = await exec('greenlight', ['--version'], env);
      expect(version).toMatchObject({ code: 0, out: '0.1.0\n', err: '' });
      starts.push(version.ms);
    }
    figures.push(
      `Node ${node}: greenlight --version cold start median ${median(starts).toFixed(0)} ms (of 5: ${starts.map((ms) => ms.toFixed(0)).join(', ')})`,
    );
    const help = await exec('greenlight', ['--help'], env);
    // The sandbox is the repository's, never installed: no command that could not run.
    expect(help.out).toContain('  approve ');
    expect(help.out).not.toContain('  sandbox ');
  });

  test('greenlight render prints the chatbot’s Canary with the approval webhooks', async () => {
    const render = await exec('greenlight', ['render', '--stack', STACK, '--approval'], env);
    expect(render.err).toBe('');
    expect(render.code).toBe(0);
    expect(render.out).toContain('kind: Canary');
    expect(render.out).toContain('type: confirm-promotion');
  });

  test('greenlight status and approve against the sandbox: the approved revision is promoted', async () => {
    const revision = `node${major}`;
    await cluster.deploy(revision);
    await cluster.waitFor(`${revision} waiting for approval`, waitingFor(revision));
    const withCluster = { ...env, KUBECONFIG: kubeconfig };

    const status = await exec('greenlight', ['status', CANARY], withCluster);
    expect(status.err).toBe('');
    expect(status.code).toBe(0);
    expect(status.out).toContain('WaitingPromotion');
    expect(status.out).toContain(revision);

    const approve = await exec(
      'greenlight',
      ['approve', CANARY, '--by', 'adoption test'],
      withCluster,
    );
    expect(approve.err).toBe('');
    expect(approve.code).toBe(0);
    const done = await cluster.waitFor(`${revision} promoted`, promoted(revision));
    expect(done.verdict).toBe('succeeded');
  });

  test('kubectl finds kubectl-greenlight on PATH and runs it as "kubectl greenlight"', async () => {
    const plugins = await exec('kubectl', ['plugin', 'list'], env);
    expect(plugins.out).toContain(join(prefix, 'bin', 'kubectl-greenlight'));
    const help = await exec('kubectl', ['greenlight', 'approve', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: kubectl greenlight approve [options] <namespace/canary>');
    const status = await exec('kubectl', ['greenlight', 'status', CANARY], {
      ...env,
      KUBECONFIG: kubeconfig,
    });
    expect(status.code).toBe(0);
    expect(status.out).toContain('Succeeded');
  });
});
