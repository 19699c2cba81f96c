// command: plan, run as a runner runs it on a pull request: a git checkout with the base and
// the head commit, the pull_request event file, the GitHub stand-in (every request checked
// against GitHub's OpenAPI description) and the Kubernetes API stand-in.
import { rm, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import { existingFunction, NS } from '@greenlight/test-kit/flagger/steps';
import { fixtureCheckout, type Checkout } from '@greenlight/test-kit/processes/checkout';

const PR = 7;

let cluster: TestCluster;
let github: GitHubStandIn;
let repo: string;
let base: string;

let checkout: Checkout;
const git = (...args: string[]): string => checkout.git(...args);

/** A commit on the pull request's branch that edits `file`; returns its SHA. */
async function push(file: string): Promise<string> {
  await appendFile(join(repo, file), `# edited\n`);
  git('commit', '-qam', `edit ${file}`);
  return git('rev-parse', 'HEAD');
}

beforeEach(async () => {
  cluster = await startTestCluster();
  github = await startGitHubStandIn();
  checkout = await fixtureCheckout('greenlight-plan-');
  ({ dir: repo, head: base } = checkout);
  // What runs: chatbot shipped by Greenlight with the default steps (10% up to 50%).
  await existingFunction(cluster.kube, 'chatbot', base);
  for (const object of renderCanary({ name: 'chatbot' }, resolveCanaryOptions({ namespace: NS })))
    await cluster.kube.apply(object as KubernetesObject);
});
afterEach(async () => {
  await github.close();
  await cluster.close();
  await rm(repo, { recursive: true, force: true });
});

async function plan(
  head: string,
  extra: Record<string, string> = {},
  token = 'ghs_test',
): Promise<ActionRun> {
  const event = join(repo, '..', `${repo.split('/').pop()}-event.json`);
  await writeFile(event, JSON.stringify({ pull_request: { number: PR, base: { sha: base } } }));
  return runAction({
    inputs: {
      command: 'plan',
      'stack-file': 'stack.yml',
      'changed-only': 'true',
      'step-weight': '20',
      'github-token': token,
      ...extra,
    },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: head,
      GITHUB_WORKSPACE: repo,
    },
    cwd: repo,
  });
}

const planOutput = (run: ActionRun) =>
  JSON.parse(run.outputs.plan as string) as {
    function: string;
    changed: boolean;
    manifests?: { kind: string; change: string }[];
  }[];

test('the first push comments the plan, the second edits that same comment, and nothing is written to the cluster', async () => {
  const kubeconfig = cluster.api.kubeconfig();
  const writesBefore = cluster.api.writes().length;

  const first = await plan(await push('chatbot/Dockerfile'), { kubeconfig });
  expect(first.errors).toEqual([]);
  expect(first.code).toBe(0);
  expect(planOutput(first)).toEqual([
    {
      function: 'chatbot',
      changed: true,
      why: expect.stringMatching(/^changed since /),
      manifests: [
        { kind: 'Canary', namespace: NS, name: 'chatbot', change: 'update' },
        {
          kind: 'MetricTemplate',
          namespace: NS,
          name: 'chatbot-success-rate',
          change: 'unchanged',
        },
        { kind: 'MetricTemplate', namespace: NS, name: 'chatbot-latency', change: 'unchanged' },
      ],
    },
    { function: 'faq', changed: false, why: expect.stringMatching(/^unchanged since /) },
  ]);
  expect(github.comments).toHaveLength(1);
  const comment = github.comments[0]!;
  expect(comment.issue).toBe(PR);
  expect(comment.body).toContain('<!-- greenlight:plan namespace=openfaas-fn stack=stack.yml -->');
  expect(comment.body).toContain('1 of 2 function(s) would change');
  expect(comment.body).toMatch(/^- {4}stepWeight: 10$/m);
  expect(comment.body).toMatch(/^\+ {4}stepWeight: 20$/m);
  expect(comment.body).toContain('not planned (changed-only)');
  expect(first.outputs['comment-url']).toBe(comment.html_url);
  expect(first.summary).toContain('### Greenlight plan');

  const second = await plan(await push('faq/Dockerfile'), { kubeconfig });
  expect(second.code).toBe(0);
  expect(github.comments).toHaveLength(1);
  expect(github.comments[0]!.body).toContain('2 of 2 function(s) would change');
  // faq has no Canary yet: everything Greenlight would apply for it is new.
  expect(github.comments[0]!.body).toContain('Canary openfaas-fn/faq: would be created');
  expect(second.outputs['comment-url']).toBe(comment.html_url);

  const operations = github.requests.map((r) => r.operationId);
  expect(operations).toEqual([
    'issues/list-comments',
    'issues/create-comment',
    'issues/list-comments',
    'issues/update-comment',
  ]);
  expect(github.requests[3]?.path).toBe(`/repos/acme/chatbots/issues/comments/${comment.id}`);
  expect(github.problems()).toEqual([]);
  expect(cluster.api.writes().length).toBe(writesBefore);
}, 30_000);

test('a Canary that matches the render is in sync, and its diff is left out', async () => {
  const run = await plan(await push('chatbot/Dockerfile'), {
    kubeconfig: cluster.api.kubeconfig(),
    'step-weight': '',
  });
  expect(run.code).toBe(0);
  expect(planOutput(run)[0]?.manifests).toEqual([
    { kind: 'Canary', namespace: NS, name: 'chatbot', change: 'unchanged' },
    { kind: 'MetricTemplate', namespace: NS, name: 'chatbot-success-rate', change: 'unchanged' },
    { kind: 'MetricTemplate', namespace: NS, name: 'chatbot-latency', change: 'unchanged' },
  ]);
  expect(github.comments[0]?.body).toContain('| in sync |');
  expect(github.comments[0]?.body).not.toContain('```diff');
});

/** chatbot's Canary as a Greenlight before gatewayapi became the default wrote it. */
async function shippedOnLinkerd(): Promise<void> {
  const [linkerd] = renderCanary(
    { name: 'chatbot' },
    resolveCanaryOptions({ namespace: NS, provider: 'linkerd' }),
  );
  const ref = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name: 'chatbot' };
  // A merge patch: null removes the Gateway API parents the linkerd Canary has not.
  await cluster.kube.mergePatch(ref, {
    spec: { ...linkerd.spec, service: { ...linkerd.spec.service, gatewayRefs: null } },
  });
}

test('a Canary on linkerd keeps linkerd without a provider input, and says it is deprecated', async () => {
  await shippedOnLinkerd();
  const run = await plan(await push('chatbot/Dockerfile'), {
    kubeconfig: cluster.api.kubeconfig(),
    'step-weight': '',
  });
  expect(run.errors).toEqual([]);
  expect(planOutput(run)[0]?.manifests).toEqual([
    { kind: 'Canary', namespace: NS, name: 'chatbot', change: 'unchanged' },
  ]);
  expect(run.stdout).toContain('chatbot: provider linkerd, kept from its Canary');
  expect(run.warnings.join('\n')).toMatch(
    /provider linkerd .* is deprecated.*fluxcd\/flagger#1840/,
  );
  expect(github.comments[0]?.body).toContain('is deprecated');
});

test("a provider input that changes a live Canary's is shown before it happens", async () => {
  await shippedOnLinkerd();
  const run = await plan(await push('chatbot/Dockerfile'), {
    kubeconfig: cluster.api.kubeconfig(),
    'step-weight': '',
    provider: 'gatewayapi',
  });
  expect(run.errors).toEqual([]);
  const change =
    'chatbot: provider changes from linkerd to gatewayapi:v1 (input provider): Flagger routes it by an HTTPRoute instead of an SMI TrafficSplit';
  expect(run.warnings).toContain(change);
  expect(github.comments[0]?.body).toContain(change);
  expect(github.comments[0]?.body).toMatch(/^- {2}provider: linkerd$/m);
  expect(github.comments[0]?.body).toMatch(/^\+ {2}provider: gatewayapi:v1$/m);
});

test('without a kubeconfig the plan lists the changed functions and says the cluster part is skipped', async () => {
  const requestsBefore = cluster.api.requestLog.length;
  const run = await plan(await push('chatbot/Dockerfile'));
  expect(run.code).toBe(0);
  expect(planOutput(run).map((f) => [f.function, f.changed, f.manifests])).toEqual([
    ['chatbot', true, undefined],
    ['faq', false, undefined],
  ]);
  expect(github.comments[0]?.body).toContain('Cluster comparison skipped: no `kubeconfig` input');
  expect(run.stdout).toContain('the comparison with the cluster is skipped');
  expect(cluster.api.requestLog.length).toBe(requestsBefore);
  expect(github.problems()).toEqual([]);
});

test('a token that may not comment leaves a warning and the plan in the job summary, and the step passes', async () => {
  await github.close();
  github = await startGitHubStandIn({ status: 403 });
  const run = await plan(await push('chatbot/Dockerfile'));
  expect(run.code).toBe(0);
  expect(run.warnings.join('\n')).toMatch(
    /plan comment was skipped \(403 Resource not accessible by integration.*pull-requests: write\)/,
  );
  expect(run.summary).toContain('1 of 2 function(s) would change');
});

test('shows which functions are probed, with their conversations and rounds', async () => {
  await writeFile(
    join(repo, 'probes.yml'),
    'version: 1\nfunctions:\n  chatbot:\n    conversations:\n      - name: greets\n' +
      '        turns:\n          - webchat: hello\n            expect: { contains: Hello }\n',
  );
  git('add', 'probes.yml');
  git('commit', '-qm', 'probes');
  const run = await plan(await push('chatbot/Dockerfile'), { 'probe-rounds': '2' });
  expect(run.errors).toEqual([]);
  const [chatbot, faq] = JSON.parse(run.outputs.plan as string) as { probe?: string }[];
  expect(chatbot?.probe).toBe('1 conversation (1 turn), 2 rounds per iteration');
  expect(faq?.probe).toBeUndefined();
  expect(github.comments[0]?.body).toMatch(
    /\| chatbot \| .* \| 1 conversation \(1 turn\), 2 rounds per iteration \|/,
  );
  expect(github.comments[0]?.body).toMatch(/\| faq \| .* \| none \|/);
});

test('refuses blue-green for a function without a probe, as the deploy would', async () => {
  const run = await plan(await push('chatbot/Dockerfile'), {
    strategy: 'blue-green',
    'step-weight': '',
  });
  expect(run.code).not.toBe(0);
  expect(run.errors.join('\n')).toContain(
    'strategy: blue-green needs a probe for function "chatbot"',
  );
  expect(github.comments).toHaveLength(0);
});
