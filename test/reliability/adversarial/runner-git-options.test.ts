// An attacker who may write Deployments (not run workflows) sets the revision annotation on
// `chatbot-primary` to a git option. The next deploy with changed-only reads it back and
// used to hand it to `git diff`: `--output=<file>` created or emptied any file the runner
// user can write. Now it is refused like a bad `revision` input, naming the object and the
// annotation, before anything is built or written; the file is untouched.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  chatbotDeployment,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction, NS } from '@greenlight/test-kit/flagger/steps';
import { recordingTools } from '@greenlight/test-kit/stand-ins/tools/recording';
import { fixtureCheckout, type Checkout } from '@greenlight/test-kit/processes/checkout';

let cluster: TestCluster;
let checkout: Checkout;
const git = (...args: string[]): string => checkout.git(...args);

beforeEach(async () => {
  cluster = await startTestCluster();
  checkout = await fixtureCheckout('greenlight-checkout-');
  await existingFunction(cluster.kube, 'chatbot', 'v1');
});
afterEach(() => cluster.close());

async function primaryRevision(value: string): Promise<void> {
  await cluster.kube.apply(chatbotDeployment('chatbot-primary', NS, value) as KubernetesObject);
}

async function deployChangedOnly() {
  const tools = await recordingTools();
  const writesBefore = cluster.api.writes().length;
  const run = await runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      builder: 'docker',
      functions: 'chatbot',
      'changed-only': 'true',
      'wait-until': 'applied',
    },
    env: {
      PATH: `${tools.bin}:${process.env.PATH}`,
      GITHUB_SHA: checkout.head,
      GITHUB_WORKSPACE: checkout.dir,
    },
    cwd: checkout.dir,
  });
  const builds = (await tools.calls()).filter(
    (c) => c.tool === 'docker' && /build|push|login/.test(c.args),
  );
  return { run, builds, writes: cluster.api.writes().slice(writesBefore) };
}

test.each([
  ['creates', false],
  ['empties', true],
])(
  'a primary revision of --output=<file> neither %s the file nor builds or writes anything',
  async (_, existing) => {
    const target = join(await mkdtemp(join(tmpdir(), 'greenlight-victim-')), 'authorized_keys');
    if (existing) await writeFile(target, 'ssh-ed25519 AAAA precious\n');
    await primaryRevision(`--output=${target}`);

    const { run, builds, writes } = await deployChangedOnly();

    if (existing) expect(await readFile(target, 'utf8')).toBe('ssh-ed25519 AAAA precious\n');
    else expect(existsSync(target)).toBe(false);
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /^changed-only: the greenlight\.dev\/revision annotation on the pod template of Deployment openfaas-fn\/chatbot-primary is "--output=.*", which is not a revision .*nothing was built or applied\. Find out who wrote it/,
    );
    expect(builds).toEqual([]);
    expect(writes).toEqual([]);
  },
);

test('an option-like revision that passes the input rule (-p) is refused too', async () => {
  await primaryRevision('-p');
  const { run, builds, writes } = await deployChangedOnly();
  expect(run.code).toBe(1);
  expect(run.errors.join('\n')).toContain('Deployment openfaas-fn/chatbot-primary is "-p"');
  expect(builds).toEqual([]);
  expect(writes).toEqual([]);
});

test('a primary at a commit of the checkout is compared as before (the rule refuses only non-revisions)', async () => {
  await primaryRevision(checkout.head);
  await writeFile(join(checkout.dir, 'faq', 'Dockerfile'), 'FROM scratch\n# faq only\n');
  git('commit', '-qam', 'faq only');
  const next = git('rev-parse', 'HEAD');
  const tools = await recordingTools();
  const run = await runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      builder: 'docker',
      functions: 'chatbot',
      'changed-only': 'true',
      'wait-until': 'applied',
    },
    env: {
      PATH: `${tools.bin}:${process.env.PATH}`,
      GITHUB_SHA: next,
      GITHUB_WORKSPACE: checkout.dir,
    },
    cwd: checkout.dir,
  });
  expect(run.errors).toEqual([]);
  expect(run.stdout).toContain(`chatbot: skipped (unchanged since ${checkout.head})`);
  const diff = (await tools.calls()).find((c) => c.tool === 'git' && c.args.includes('diff'));
  expect(diff?.args).toBe(
    `git diff --quiet --end-of-options ${checkout.head} ${next} -- chatbot stack.yml`,
  );
});
