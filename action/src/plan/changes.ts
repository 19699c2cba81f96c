// Which functions changed: a function changed when its handler folder or the stack file
// differs between two commits (`git diff`). Anything unknown (never promoted, no base, a
// shallow clone without that commit) counts as changed: shipping one function too many is
// cheap, skipping a changed one is not.
// - deploy with `changed-only`: since the revision its primary runs (promoted);
// - plan: since the pull request's base commit.
// The promoted revision is whatever the primary's annotation says — anyone who may write a
// Deployment can set it — so it is checked like the `revision` input and git reads every
// revision after --end-of-options: `--output=/some/file` is a bad revision, never an option.
import type { V1Deployment } from '@kubernetes/client-node';
import { dirname, relative, resolve } from 'node:path';
import {
  REVISION_ANNOTATION,
  revisionOf,
  UserError,
  type KubeClient,
  type Stack,
  type StackFunction,
} from '@greenlight/core';
import { isRevision, REVISION_SHAPE } from '../inputs/revision-value.ts';
import { runTool } from '../build/tool.ts';

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
      if (!isRevision(promoted)) {
        const object = `Deployment ${namespace}/${fn.name}-primary`;
        throw new UserError(
          `the ${REVISION_ANNOTATION} annotation on the pod template of ${object} is ${JSON.stringify(promoted.slice(0, 80))}, which is not a revision (${REVISION_SHAPE}); nothing was built or applied`,
          {
            field: 'changed-only',
            hint: `Find out who wrote it (kubectl get deployment -n ${namespace} ${fn.name}-primary -o yaml, and the API audit log); run the deploy with changed-only: false to ship ${fn.name} anyway`,
          },
        );
      }
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
  if (base !== undefined && !isRevision(base)) {
    throw new UserError(
      `the pull request's base.sha in the event file is ${JSON.stringify(base.slice(0, 80))}, which is not a revision (${REVISION_SHAPE})`,
      {
        field: 'GITHUB_EVENT_PATH',
        hint: 'Run plan on pull_request events as GitHub sends them; a step that rewrites the event file must keep base.sha a commit',
      },
    );
  }
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
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    // The callers check what they read (the annotation, the event); this is the last line.
    if (!isRevision(value))
      throw new Error(`git diff ${name} ${JSON.stringify(value)} is not a revision`);
  }
  const diff = await runTool(
    'git',
    ['diff', '--quiet', '--end-of-options', from, to, '--', ...paths],
    {
      cwd: root,
      silent: true,
    },
  ).catch(() => ({ exitCode: 128 }));
  if (diff.exitCode === 0) return { fn, changed: false, why: `unchanged since ${from}` };
  if (diff.exitCode === 1) return { fn, changed: true, why: `changed since ${from}` };
  return {
    fn,
    changed: true,
    why: `cannot compare with ${from} (fetch-depth: 0 in actions/checkout helps)`,
  };
}
