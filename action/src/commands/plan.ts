// plan, for pull requests: which functions the change touches, and what applying their
// Canaries would change in the cluster — one PR comment, edited in place on each push,
// and the job summary. Reads only: the cluster is listed and read, never written.
import type { KubernetesObject } from '@kubernetes/client-node';
import * as core from '@actions/core';
import type { V1Deployment } from '@kubernetes/client-node';
import {
  readCeLimitWarning,
  renderCanary,
  type CanaryOptions,
  type FunctionProbe,
  type ProviderChoice,
} from '@greenlight/core';
import { deprecationOf, providerFor, providerLine } from '../apply/provider.ts';
import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { loadSelectedFunctions } from '../inputs/stack-input.ts';
import { connectCluster, type Cluster } from '../apply/cluster.ts';
import { changesSinceBase } from '../plan/changes.ts';
import { diffManifest, type ManifestDiff } from '../plan/manifest-diff.ts';
import { planComment, planMarker, type FunctionPlan, type Plan } from '../plan/plan-comment.ts';
import { connectGitHub, failureOf } from '../report/github.ts';
import { upsertComment } from '../report/pr-comment.ts';
import { appendSummary } from '../report/summary.ts';
import { probeSummary } from '../format.ts';

export async function plan(inputs: Inputs, context: RunContext): Promise<void> {
  const namespace = inputs.canary.namespace;
  const { stack, functions, probes, cluster } = await core.group('Check', async () => {
    // Refuses a malformed probes file and blue/green without a probe, as deploy would.
    const selected = await loadSelectedFunctions(
      inputs.stackFile,
      inputs.functions,
      inputs.canary,
      inputs.probesFile,
    );
    // Only a kubeconfig given on purpose: a plan must not read whichever cluster the
    // runner's ~/.kube/config happens to point at.
    const cluster = inputs.kubeconfig
      ? await connectCluster(inputs.kubeconfig, namespace, context.runnerTemp)
      : undefined;
    return { ...selected, cluster };
  });
  try {
    const revision = context.sha ?? 'HEAD';
    const changes = await core.group('Changed functions', async () => {
      const changes = await changesSinceBase(stack, functions, context.baseSha, revision);
      for (const c of changes)
        core.info(`${c.fn.name}: ${c.changed ? 'changed' : 'unchanged'} (${c.why})`);
      return changes;
    });

    const choices = new Map<string, ProviderChoice>();
    const planned: FunctionPlan[] = await core.group('Manifests against the cluster', async () => {
      if (!cluster) core.info('No kubeconfig input: the comparison with the cluster is skipped.');
      return Promise.all(
        changes.map(async ({ fn, changed, why }) => {
          const probe = probes.get(fn.name);
          const probed = probe ? { probe: probeSummary(probe, inputs.canary.probeRounds) } : {};
          const compare = cluster && (changed || !inputs.changedOnly);
          if (!compare) return { name: fn.name, changed, why, ...probed };
          const choice = await providerFor(cluster.kube, inputs, fn.name);
          core.info(providerLine(fn.name, choice));
          choices.set(fn.name, choice);
          const manifests = await diffAgainst(cluster, fn.name, choice.options, probe);
          for (const d of manifests) core.info(`${d.kind} ${d.namespace}/${d.name}: ${d.change}`);
          const newFunction = !(await hasDeployment(cluster, namespace, fn.name));
          if (newFunction)
            core.info(`${fn.name}: new function, its Deployment and Service would be created`);
          return {
            name: fn.name,
            changed,
            why,
            ...probed,
            manifests,
            ...(newFunction ? { newFunction } : {}),
          };
        }),
      );
    });
    // A new canaried function adds two Deployments CE counts: the target and its primary.
    const adding = 2 * planned.filter((f) => f.newFunction).length;
    const ceLimit = cluster && (await ceLimitOf(cluster, namespace, adding));
    if (ceLimit) core.warning(ceLimit);
    // A provider change is shown before it happens; linkerd, kept or given, says it is deprecated.
    const providerChanges = [...choices].flatMap(([name, c]) =>
      c.changesFrom ? [providerLine(name, c)] : [],
    );
    const deprecated = deprecationOf(
      cluster ? [...choices.values()] : [{ options: inputs.canary, source: 'default' }],
    );
    for (const line of providerChanges) core.warning(line);
    if (deprecated) core.warning(deprecated);
    const warnings = [
      ...(ceLimit ? [ceLimit] : []),
      ...providerChanges,
      ...(deprecated ? [deprecated] : []),
    ];

    const result: Plan = {
      namespace,
      stackFile: inputs.stackFile,
      ...(context.sha ? { revision: context.sha } : {}),
      ...(context.baseSha ? { base: context.baseSha } : {}),
      functions: planned,
      changedOnly: inputs.changedOnly,
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(cluster
        ? {}
        : {
            clusterSkipped:
              'no `kubeconfig` input. Pass one with read access to the namespace to see what applying would change.',
          }),
    };
    core.setOutput(
      'plan',
      JSON.stringify(
        planned.map((f) => ({
          function: f.name,
          changed: f.changed,
          why: f.why,
          ...(f.newFunction ? { newFunction: true } : {}),
          ...(f.probe ? { probe: f.probe } : {}),
          ...(f.manifests ? { manifests: f.manifests.map(({ lines: _, ...m }) => m) } : {}),
        })),
      ),
    );
    const body = planComment(result);
    await core.group('Pull request comment', () => comment(inputs, context, body));
    await appendSummary((summary) => summary.addRaw(body, true));
  } finally {
    await cluster?.close();
  }
}

async function diffAgainst(
  cluster: Cluster,
  name: string,
  options: CanaryOptions,
  probe?: FunctionProbe,
): Promise<ManifestDiff[]> {
  const rendered = renderCanary(
    { name, ...(probe ? { probe } : {}) },
    options,
  ) as KubernetesObject[];
  return Promise.all(
    rendered.map(async (object) => {
      const live = await cluster.kube.get({
        apiVersion: object.apiVersion as string,
        kind: object.kind as string,
        namespace: object.metadata?.namespace as string,
        name: object.metadata?.name as string,
      });
      return diffManifest(object, live);
    }),
  );
}

async function hasDeployment(cluster: Cluster, namespace: string, name: string): Promise<boolean> {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name };
  return (await cluster.kube.get<V1Deployment>(ref)) !== undefined;
}

/** OpenFaaS CE's limit; a credential that may not list Deployments only skips the count. */
async function ceLimitOf(cluster: Cluster, namespace: string, adding: number) {
  try {
    return await readCeLimitWarning(cluster.kube, namespace, adding);
  } catch (err) {
    core.info(`OpenFaaS CE's function count skipped: ${(err as Error).message}`);
    return undefined;
  }
}

/** Posts or edits the plan comment; without a pull request or a token, says why not. */
async function comment(inputs: Inputs, context: RunContext, body: string): Promise<void> {
  const skip = (why: string) =>
    core.warning(`The plan comment was skipped (${why}); the plan is in the job summary.`);
  if (context.pullRequest === undefined)
    return skip(`event ${context.eventName ?? 'unknown'} is not a pull request`);
  const github = connectGitHub(inputs.githubToken, context);
  if ('skipped' in github) return skip(github.skipped);
  try {
    const posted = await upsertComment(
      github,
      context.pullRequest,
      planMarker(inputs.canary.namespace, inputs.stackFile),
      body,
    );
    core.setOutput('comment-url', posted.url ?? '');
    core.info(
      `${posted.created ? 'Commented' : 'Updated the comment'} on pull request #${context.pullRequest}: ${posted.url}`,
    );
  } catch (err) {
    skip(`${failureOf(err)}; give the job permissions: pull-requests: write`);
  }
}
