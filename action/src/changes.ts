// Which functions changed: a function changed when its handler folder or the stack file
// differs between two commits (`git diff`). Anything unknown (never promoted, no base, a
// shallow clone without that commit) counts as changed: shipping one function too many is
// cheap, skipping a changed one is not.
// - deploy with `changed-only`: since the revision its primary runs (promoted);
// - plan: since the pull request's base commit.
import type { V1Deployment } from '@kubernetes/client-node';
import { dirname, relative, resolve } from 'node:path';
import { revisionOf, type KubeClient, type Stack, type StackFunction } from '@greenlight/core';
import { runTool } from './tool.ts';

export interface Change {
  fn: StackFunction;
  changed: boolean;
  why: string;
}

export async function changesSincePromoted(
  kube: KubeClient,
  stack: Stack,
  functions: StackFunction[],
  namespace: string,
  revision: string,
): Promise<Change[]> {
  return Promise.all(
    functions.map(async (fn): Promise<Change> => {
      const primary = await kube.get<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: `${fn.name}-primary`,
      });
      const promoted = revisionOf(primary);
      if (!promoted) return { fn, changed: true, why: 'no promoted revision yet' };
      if (promoted === revision)
        return { fn, changed: false, why: `revision ${revision} is already promoted` };
      return compare(stack, fn, promoted, revision);
    }),
  );
}

export async function changesSinceBase(
  stack: Stack,
  functions: StackFunction[],
  base: string | undefined,
  revision: string,
): Promise<Change[]> {
  return Promise.all(
    functions.map(async (fn): Promise<Change> => {
      if (!base) return { fn, changed: true, why: 'no pull request base to compare with' };
      return compare(stack, fn, base, revision);
    }),
  );
}

async function compare(stack: Stack, fn: StackFunction, from: string, to: string): Promise<Change> {
  const root = dirname(resolve(stack.file));
  const paths = [
    relative(root, resolve(root, fn.handler)) || '.',
    relative(root, resolve(stack.file)),
  ];
  const diff = await runTool('git', ['diff', '--quiet', from, to, '--', ...paths], {
    cwd: root,
    silent: true,
  }).catch(() => ({ exitCode: 128 }));
  if (diff.exitCode === 0) return { fn, changed: false, why: `unchanged since ${from}` };
  if (diff.exitCode === 1) return { fn, changed: true, why: `changed since ${from}` };
  return {
    fn,
    changed: true,
    why: `cannot compare with ${from} (fetch-depth: 0 in actions/checkout helps)`,
  };
}
