// The action's deploy through API faults: every read and write it makes (the pre-flight list,
// the Canary's server-side apply, the Deployment's patch) rides out transient 500s and 429s,
// and an API that keeps failing ends the step with advice to run it again — not with advice
// about the kubeconfig, which is fine.
import type { V1Deployment } from '@kubernetes/client-node';
import { renderKubeconfig } from '@greenlight/sandbox';
import { REVISION_ANNOTATION } from '@greenlight/core';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction, NS } from '@greenlight/test-kit/flagger/steps';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { startFaultProxy, type FaultKind, type FaultProxy } from './fault-proxy.ts';

const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';

let cluster: TestCluster;
let proxy: FaultProxy;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', '0'.repeat(40));
  proxy = await startFaultProxy(cluster.api.url, 1, {
    error500: 0,
    throttle429: 0,
    slow: 0,
    resetMidWatch: 0,
    gone410: 0,
  });
});
afterEach(async () => {
  await proxy.close();
  await cluster.close();
});

const deploy = () =>
  runAction({
    inputs: {
      command: 'deploy',
      'stack-file': 'stack.yml',
      functions: 'chatbot',
      builder: 'none',
      registry: 'ghcr.io/acme',
      kubeconfig: renderKubeconfig(proxy.url),
      approval: 'false',
      'wait-until': 'applied',
    },
  });

async function targetRevision(): Promise<string | undefined> {
  const target = await cluster.kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: NS,
    name: 'chatbot',
  });
  return target?.spec?.template.metadata?.annotations?.[REVISION_ANNOTATION];
}

test('a deploy rides out a 500 or a 429 on each of its API requests and ships the revision', async () => {
  // The first try of every distinct request fails, with a 500 and a 429 in turn.
  const seen = new Set<string>();
  proxy.script((entry): FaultKind | undefined => {
    const key = `${entry.method} ${entry.path}`;
    if (entry.watch || seen.has(key)) return undefined;
    seen.add(key);
    return seen.size % 2 ? 'error-500' : 'throttle-429';
  });

  const run = await deploy();

  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('applied');
  expect(await targetRevision()).toBe(REV);
  // The Canary's apply and the Deployment's patch each failed once on the way.
  expect(proxy.log.filter((e) => e.method === 'PATCH' && e.fault).length).toBeGreaterThanOrEqual(2);
});

test('an API that keeps answering 500 ends the step with advice to run it again, and nothing is written', async () => {
  proxy.script(() => 'error-500');
  const before = cluster.api.writes().length;

  const run = await deploy();

  expect(run.code).not.toBe(0);
  expect(run.errors.join('\n')).toMatch(
    /kubeconfig: cannot list Canaries in namespace openfaas-fn .*tried 4 times.*run the job again/,
  );
  expect(cluster.api.writes().slice(before)).toEqual([]);
  expect(await targetRevision()).toBe('0'.repeat(40));
});
