// changed-only compares with the revision the primary runs, read from the cluster: a value
// anyone who may write a Deployment controls. A bad one fails naming the object and the
// annotation; git never reads it as an option.
import { existsSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { loadStack, UserError, type Stack } from '@greenlight/core';
import {
  chatbotDeployment,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { changesSincePromoted } from '../src/plan/changes.ts';
import { fixtureCheckout, type Checkout } from '@greenlight/test-kit/processes/checkout';

let cluster: TestCluster;
let stack: Stack;
let checkout: Checkout;
const git = (...args: string[]): string => checkout.git(...args);

beforeEach(async () => {
  cluster = await startTestCluster();
  checkout = await fixtureCheckout('greenlight-changes-');
  stack = await loadStack(join(checkout.dir, 'stack.yml'));
});
afterEach(async () => {
  await cluster.close();
  await rm(checkout.dir, { recursive: true, force: true });
});

async function primaryAt(revision: string): Promise<void> {
  await cluster.kube.apply(
    chatbotDeployment('chatbot-primary', 'openfaas-fn', revision) as KubernetesObject,
  );
}

const chatbot = () => [stack.functions.chatbot!];

test.each(['--output=OUT', '-p', '--no-index'])(
  'a primary whose revision annotation is %s fails naming the Deployment and the annotation, and git never runs it',
  async (bad) => {
    const out = join(checkout.dir, 'clobbered');
    await primaryAt(bad.replace('OUT', out));
    const err = await changesSincePromoted(
      cluster.kube,
      stack,
      chatbot(),
      'openfaas-fn',
      checkout.head,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(
      /^changed-only: the greenlight\.dev\/revision annotation on the pod template of Deployment openfaas-fn\/chatbot-primary is ".*", which is not a revision .*; nothing was built or applied\. Find out who wrote it \(kubectl get deployment -n openfaas-fn chatbot-primary -o yaml/,
    );
    expect(existsSync(out)).toBe(false);
  },
);

test('a primary at an earlier commit of an unchanged handler is unchanged; at this one it is already promoted', async () => {
  await primaryAt(checkout.head);
  await appendFile(join(checkout.dir, 'faq', 'Dockerfile'), '# edited\n');
  git('commit', '-qam', 'edit faq');
  const next = git('rev-parse', 'HEAD');
  expect(
    (await changesSincePromoted(cluster.kube, stack, chatbot(), 'openfaas-fn', next)).map((c) => [
      c.changed,
      c.why,
    ]),
  ).toEqual([[false, `unchanged since ${checkout.head}`]]);
  expect(
    (await changesSincePromoted(cluster.kube, stack, chatbot(), 'openfaas-fn', checkout.head))[0]
      ?.why,
  ).toBe(`revision ${checkout.head} is already promoted`);
});
