// command: rollback as a process against the sandbox (its Flagger stand-in, fifty times
// faster than a cluster): deploy v2 records the promoted v1 on the Canary, Flagger promotes
// v2, rollback brings v1 back through a new analysis. The action runs from its sources.
import type { V1Deployment } from '@kubernetes/client-node';
import { PROMOTED_HISTORY, revisionOf, ROLLBACK_NOTE, ROLLBACK_REVISION } from '@greenlight/core';
import {
  startActionSandbox,
  type ActionSandbox,
} from '@greenlight/test-kit/cluster/action-sandbox';
import { runAction, SOURCE_ENTRY } from '@greenlight/test-kit/processes/run-action';
import { NS } from '@greenlight/test-kit/flagger/steps';

let env: ActionSandbox;
beforeEach(async () => (env = await startActionSandbox(NS)));
afterEach(() => env.sandbox.close());

const primary = () =>
  env.sandbox.kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: NS,
    name: 'chatbot-primary',
  });

test('deploy records the promoted revision; rollback brings it back through an analysis', async () => {
  const deployed = await runAction({
    entry: SOURCE_ENTRY,
    inputs: env.inputs({ revision: 'v2', provider: 'linkerd' }),
  });
  expect(deployed.errors).toEqual([]);
  expect(deployed.outputs.result).toBe('succeeded');
  const history = JSON.parse(
    (await env.canary())?.metadata.annotations?.[PROMOTED_HISTORY] ?? '[]',
  );
  expect(history).toMatchObject([
    { revision: 'v1', images: { chatbot: 'registry.local/acme/chatbot:v1' } },
  ]);

  const rolled = await runAction({
    entry: SOURCE_ENTRY,
    inputs: {
      command: 'rollback',
      kubeconfig: env.kubeconfig,
      functions: 'chatbot',
      timeout: '20s',
    },
  });
  expect(rolled.errors).toEqual([]);
  expect(rolled.code).toBe(0);
  expect(rolled.outputs.result).toBe('succeeded');
  expect(rolled.outputs.revision).toBe('v1');
  expect(rolled.stdout).toContain(
    'chatbot: rolled back from revision v2 to v1 by system:anonymous (github:octocat',
  );
  expect(rolled.summary).toContain('rolled back from revision v2 to v1');
  expect(revisionOf(await primary())).toBe('v1');
  const annotations = (await env.canary())?.metadata.annotations ?? {};
  expect(annotations[ROLLBACK_REVISION]).toBe('v1');
  expect(annotations[ROLLBACK_NOTE]).toBe(
    'github:octocat https://github.com/acme/chatbots/actions/runs/42',
  );
}, 60_000);

test('refuses with no earlier revision recorded, and skip-analysis outside rollback; nothing written', async () => {
  const before = (await env.canary())?.metadata.resourceVersion;
  const refused = await runAction({
    entry: SOURCE_ENTRY,
    inputs: { command: 'rollback', kubeconfig: env.kubeconfig, timeout: '20s' },
  });
  expect(refused.code).not.toBe(0);
  expect(refused.errors.join('\n')).toMatch(
    /to: no revision promoted before v1 is recorded on Canary openfaas-fn\/chatbot, so there is nothing to roll back to/,
  );
  const misplaced = await runAction({
    entry: SOURCE_ENTRY,
    inputs: env.inputs({ revision: 'v2', 'skip-analysis': 'true' }),
  });
  expect(misplaced.errors.join('\n')).toMatch(/skip-analysis: is for command: rollback only/);
  expect((await env.canary())?.metadata.resourceVersion).toBe(before);
}, 60_000);
