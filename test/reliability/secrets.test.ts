// Secrets stay secret. The action with a registry password, a kubeconfig token, an OpenFaaS
// password and a GitHub token, at debug log level (RUNNER_DEBUG=1), through a success and
// every failure path a user meets: no byte of its log, job summary, outputs, annotations, or
// any file it leaves behind holds one of them (`::add-mask::` commands excepted: the runner
// consumes them, that is how it learns what to mask). The same for the CLI's stdout and
// stderr and the gate's logs, with a kubeconfig that carries a token.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { approve, createKubeClient, type KubeClient } from '@greenlight/core';
import { renderKubeconfig, startApiServer, type ApiServer } from '@greenlight/sandbox';
import { deployChatbot, eventually } from '@greenlight/test-kit/cluster';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { existingFunction, waitForRevision } from '@greenlight/test-kit/flagger/steps';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import { fakeDocker, type FakeDocker } from './support/fake-docker.ts';
import { flaggerWrites, type FlaggerWrites } from '@greenlight/test-kit/flagger';
import { startGateway, type GatewayStandIn } from '@greenlight/test-kit/stand-ins/openfaas';
import { CLI_BIN, exec, GATE_BIN, start } from '@greenlight/test-kit/processes/spawn';
import { leaksIn, SECRETS, withoutMaskCommands } from './support/secrets.ts';

const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';

describe('the action', () => {
  let api: ApiServer;
  let kube: KubeClient;
  let flagger: FlaggerWrites;
  let github: GitHubStandIn;
  let gateway: GatewayStandIn;
  let docker: FakeDocker;

  beforeEach(async () => {
    // The API stand-in refuses any request without this bearer token.
    api = await startApiServer({ token: SECRETS.kubeToken });
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfig());
    kube = createKubeClient(kc);
    flagger = flaggerWrites(api.url, kube, { token: SECRETS.kubeToken });
    await existingFunction(kube, 'chatbot', 'v1');
    github = await startGitHubStandIn();
    gateway = await startGateway(kube, SECRETS.openfaasPassword);
    docker = await fakeDocker(SECRETS.registryPassword);
  });
  afterEach(async () => {
    await gateway.close();
    await github.close();
    await api.close();
  });

  function inputs(extra: Record<string, string> = {}): Record<string, string> {
    return {
      command: 'deploy',
      functions: 'chatbot',
      builder: 'docker',
      registry: 'ghcr.io/acme',
      'registry-username': 'acme-bot',
      'registry-password': SECRETS.registryPassword,
      target: 'openfaas',
      'openfaas-url': gateway.url,
      'openfaas-password': SECRETS.openfaasPassword,
      kubeconfig: api.kubeconfig(),
      'github-token': SECRETS.githubToken,
      interval: '10s',
      timeout: '20s',
      ...extra,
    };
  }

  async function deploy(extra: Record<string, string> = {}, during?: () => Promise<void>) {
    const running = runAction({
      inputs: inputs(extra),
      env: {
        PATH: `${docker.bin}:${process.env.PATH}`,
        RUNNER_DEBUG: '1',
        GITHUB_API_URL: github.url,
      },
    });
    await during?.();
    return running;
  }

  /** Every byte the step showed or left: log, annotations, outputs, summary, files in its home. */
  async function everything(run: ActionRun): Promise<string> {
    const home = dirname(run.runnerTemp);
    const files = await filesUnder(home);
    const contents = await Promise.all(files.map((file) => readFile(file, 'utf8')));
    return [
      withoutMaskCommands(run.stdout),
      JSON.stringify(run.outputs),
      run.summary,
      ...files,
      ...contents,
    ].join('\n');
  }

  async function filesUnder(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  }

  async function expectNoLeak(run: ActionRun) {
    expect(leaksIn(await everything(run))).toEqual([]);
    // The registry password reached docker on stdin, never as an argument `ps` shows.
    expect(leaksIn(await docker.calls())).toEqual([]);
  }

  test('a successful deploy shows no secret', async () => {
    const run = await deploy({}, async () => {
      await waitForRevision(kube, 'chatbot', REV);
      await eventually(() => api.openWatches() >= 1, 15_000);
      await flagger.analyse('chatbot', [10, 50]);
      await flagger.promote('chatbot', REV);
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.result).toBe('succeeded');
    expect(run.stdout).toContain('::debug::'); // debug logging was on
    // Each secret was handed to the runner to mask, before anything else was logged.
    for (const secret of [
      SECRETS.registryPassword,
      SECRETS.openfaasPassword,
      SECRETS.githubToken,
    ]) {
      expect(run.stdout).toContain(`::add-mask::${secret}`);
    }
    await expectNoLeak(run);
  }, 40_000);

  test('a failed canary shows no secret', async () => {
    const run = await deploy({}, async () => {
      await waitForRevision(kube, 'chatbot', REV);
      await eventually(() => api.openWatches() >= 1, 15_000);
      await flagger.analyse('chatbot', [10]);
      await flagger.fail('chatbot');
    });
    expect(run.outputs.result).toBe('failed');
    expect(run.code).toBe(1);
    await expectNoLeak(run);
  }, 40_000);

  test.each<[string, () => Promise<Record<string, string>> | Record<string, string>, RegExp]>([
    [
      'a bad input read after the secrets',
      () => ({ approval: 'false', 'wait-until': 'awaiting-approval' }),
      /wait-until/,
    ],
    [
      'a kubeconfig that is not valid YAML',
      () => ({ kubeconfig: api.kubeconfig().replace(/(token: .*)/, '$1\n  - oops: [unclosed') }),
      /kubeconfig/,
    ],
    [
      'an unreachable cluster',
      () => ({ kubeconfig: renderKubeconfig('http://127.0.0.1:9', SECRETS.kubeToken) }),
      /cannot list Canaries/,
    ],
    [
      'a token the cluster refuses',
      () => ({ kubeconfig: renderKubeconfig(api.url, SECRETS.wrongKubeToken) }),
      /401|Unauthorized/i,
    ],
    [
      'a registry that refuses the login',
      async () => {
        docker = await fakeDocker(SECRETS.registryPassword, { refuseLogin: true });
        return {};
      },
      /docker login ghcr\.io failed/,
    ],
    [
      'an OpenFaaS gateway that refuses the password',
      async () => {
        await gateway.close();
        gateway = await startGateway(kube, SECRETS.openfaasPassword, { refuse: true });
        return {};
      },
      /OpenFaaS gateway refused chatbot: 401/,
    ],
  ])(
    'failing on %s shows no secret',
    async (_what, setUp, message) => {
      const run = await deploy(await setUp());
      expect(run.code).toBe(1);
      expect(run.errors.join('\n')).toMatch(message);
      await expectNoLeak(run);
    },
    30_000,
  );
});

/** A kubeconfig file for `server`, holding `token`. */
async function kubeconfigFile(server: string, token: string, edit = (text: string) => text) {
  const folder = await mkdtemp(join(tmpdir(), 'greenlight-secrets-'));
  const file = join(folder, 'kubeconfig');
  await writeFile(file, edit(renderKubeconfig(server, token)), { mode: 0o600 });
  return file;
}

describe('the CLI', () => {
  let api: ApiServer;
  let kube: KubeClient;
  beforeAll(async () => {
    api = await startApiServer({ token: SECRETS.kubeToken });
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfig());
    kube = createKubeClient(kc);
    await deployChatbot(kube, { name: 'chatbot', revision: 'rev-2' });
    await deployChatbot(kube, { name: 'faq', revision: 'rev-2' });
    const flagger = flaggerWrites(api.url, kube, { token: SECRETS.kubeToken });
    await flagger.primary('chatbot', 'rev-1');
    await flagger.analyse('chatbot', [10]);
    await flagger.primary('faq', 'rev-1');
    await flagger.fail('faq');
  });
  afterAll(() => api.close());

  test('no command, succeeding or failing, prints the kubeconfig token', async () => {
    const good = await kubeconfigFile(api.url, SECRETS.kubeToken);
    const refused = await kubeconfigFile(api.url, SECRETS.wrongKubeToken);
    const unreachable = await kubeconfigFile('http://127.0.0.1:9', SECRETS.kubeToken);
    const broken = await kubeconfigFile(api.url, SECRETS.kubeToken, (text) =>
      text.replace(/(token: .*)/, '$1\n  - oops: [unclosed'),
    );
    const runs = await Promise.all([
      exec(CLI_BIN, ['status', 'openfaas-fn/chatbot', '-o', 'json'], { KUBECONFIG: good }),
      exec(CLI_BIN, ['approve', 'openfaas-fn/chatbot', '--by', 'ana', '--kubeconfig', good]),
      exec(CLI_BIN, ['watch', 'openfaas-fn/faq', '--kubeconfig', good]),
      exec(CLI_BIN, [
        'approve',
        'openfaas-fn/chatbot',
        '--revision',
        'rev-9',
        '--kubeconfig',
        good,
      ]),
      exec(CLI_BIN, ['status', 'openfaas-fn/chatbot', '--kubeconfig', refused]),
      exec(CLI_BIN, ['approve', 'openfaas-fn/chatbot', '--kubeconfig', unreachable]),
      exec(CLI_BIN, ['watch', 'openfaas-fn/chatbot', '--kubeconfig', broken]),
      exec(CLI_BIN, ['status', 'openfaas-fn/chatbot', '--kubeconfig', good, '--context', 'nope']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([0, 0, 1, 2, 1, 1, 2, 2]);
    for (const run of runs) expect(leaksIn(`${run.out}\n${run.err}`)).toEqual([]);
  }, 30_000);
});

describe('the gate', () => {
  test('its logs hold no token, whether the API works, goes away or refuses it', async () => {
    const api = await startApiServer({ token: SECRETS.kubeToken });
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfig());
    const kube = createKubeClient(kc);
    await deployChatbot(kube, { name: 'chatbot', revision: 'rev-1' });
    const flagger = flaggerWrites(api.url, kube, { token: SECRETS.kubeToken });
    await flagger.status('chatbot', 'WaitingPromotion');
    // As Flagger sends it: the checksum of the status it wrote.
    const payload = await flagger.payload('chatbot');
    const good = start(GATE_BIN, [
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--kubeconfig',
      await kubeconfigFile(api.url, SECRETS.kubeToken),
    ]);
    const refused = start(GATE_BIN, [
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--kubeconfig',
      await kubeconfigFile(api.url, SECRETS.wrongKubeToken),
    ]);
    try {
      await eventually(() => good.out().includes('caches synced'), 15_000);
      const url = `http://127.0.0.1:${/listening on (\d+)/.exec(good.out())?.[1]}`;
      const ask = () =>
        fetch(`${url}/gate/promotion`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
      expect((await ask()).status).toBe(403);
      await approve(kube, { namespace: 'openfaas-fn', name: 'chatbot' }, { note: 'ana' });
      await eventually(async () => (await ask()).status === 200, 10_000);
      // The API goes away: the next decision's Event cannot be written, and the gate says so.
      await api.close();
      await eventually(() => good.err().includes('could not record event'), 10_000);
      await eventually(() => refused.out().includes('listening on'), 10_000);
    } finally {
      good.child.kill('SIGTERM');
      refused.child.kill('SIGTERM');
    }
    for (const run of await Promise.all([good.exited, refused.exited])) {
      expect(leaksIn(`${run.out}\n${run.err}`)).toEqual([]);
    }
  }, 30_000);
});
