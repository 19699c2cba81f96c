// `changed-only`: a function is skipped when neither its handler folder nor the stack file
// changed between the revision its primary runs (promoted) and this one. Anything unknown
// (never promoted, a shallow clone without that commit) counts as changed: shipping one
// function too many is cheap, skipping a changed one is not.
import type { V1Deployment } from '@kubernetes/client-node';
import { dirname, relative, resolve } from 'node:path';
import { revisionOf, type KubeClient, type Stack, type StackFunction } from '@greenlight/core';
import { getExecOutput } from './toolkit/exec.ts';

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
  const root = dirname(resolve(stack.file));
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
      const paths = [
        relative(root, resolve(root, fn.handler)) || '.',
        relative(root, resolve(stack.file)),
      ];
      const diff = await getExecOutput(
        'git',
        ['diff', '--quiet', promoted, revision, '--', ...paths],
        {
          cwd: root,
          silent: true,
        },
      ).catch(() => ({ exitCode: 128 }));
      if (diff.exitCode === 0) return { fn, changed: false, why: `unchanged since ${promoted}` };
      if (diff.exitCode === 1) return { fn, changed: true, why: `changed since ${promoted}` };
      return {
        fn,
        changed: true,
        why: `cannot compare with ${promoted} (fetch-depth: 0 in actions/checkout helps)`,
      };
    }),
  );
}
