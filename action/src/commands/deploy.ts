// deploy: stack → images → canaries → follow → report. Every check runs before the first
// build or write; each phase is a titled log group.
import {
  PrometheusMetrics,
  recordPromoted,
  rolloutStart,
  type StackFunction,
} from '@greenlight/core';
import * as core from '@actions/core';
import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { loadSelectedFunctions } from '../inputs/stack-input.ts';
import { buildContexts, shrinkwrap, type BuildContext } from '../build/build-context.ts';
import { createBuilder } from '../build/builders/index.ts';
import { connectCluster } from '../apply/cluster.ts';
import { changesSincePromoted } from '../plan/changes.ts';
import { repositoryOf, tagsOf } from '../build/images.ts';
import { applyCanary, canaryExists } from '../apply/canary.ts';
import {
  deprecationOf,
  providerFor,
  providerLine,
  type FunctionProvider,
} from '../apply/provider.ts';
import { untilPromotionActedOn } from '../apply/promotion-window.ts';
import { KubernetesUpdater } from '../apply/function-update/kubernetes.ts';
import { OpenFaasUpdater } from '../apply/function-update/openfaas.ts';
import type { FunctionUpdater } from '../apply/function-update/updater.ts';
import { follow, type FollowedCanary } from '../follow/follow.ts';
import { Deployments, type DeploymentState } from '../report/deployments.ts';
import { overallResult, reportOf, type CanaryReport, type Result } from '../report/result.ts';
import { setImagesOutput, setResultOutputs } from '../report/outputs.ts';
import { writeSummary } from '../report/summary.ts';
import { probeSummary } from '../format.ts';
import { conclude } from '../report/conclude.ts';

export async function deploy(inputs: Inputs, context: RunContext): Promise<void> {
  const revision = inputs.revision as string; // readInputs requires it for deploy
  const namespace = inputs.canary.namespace;

  const { stack, functions, probes, contexts, builder, cluster, providers } = await core.group(
    'Check',
    async () => {
      const selected = await loadSelectedFunctions(
        inputs.stackFile,
        inputs.functions,
        inputs.canary,
        inputs.probesFile,
      );
      const builder = createBuilder(inputs.builder);
      const contexts =
        inputs.builder === 'none'
          ? []
          : await buildContexts(selected.stack, selected.functions, context.workspace);
      await builder.check();
      const cluster = await connectCluster(inputs.kubeconfig, namespace, context.runnerTemp);
      core.info(
        `${selected.functions.length} function(s): ${selected.functions.map((f) => f.name).join(', ')}`,
      );
      for (const [name, probe] of selected.probes)
        core.info(`${name}: probed, ${probeSummary(probe, inputs.canary.probeRounds)}`);
      const providers = await providersOf(cluster, inputs, selected.functions);
      return { ...selected, contexts, builder, cluster, providers };
    },
  );

  try {
    let shipping: StackFunction[] = functions;
    const unchanged: CanaryReport[] = [];
    if (inputs.changedOnly) {
      shipping = await core.group('Changed functions', async () => {
        const changes = await changesSincePromoted(
          cluster.kube,
          stack,
          functions,
          namespace,
          revision,
        );
        for (const change of changes) {
          core.info(`${change.fn.name}: ${change.changed ? 'ships' : 'skipped'} (${change.why})`);
          if (!change.changed) {
            unchanged.push({
              function: change.fn.name,
              namespace,
              result: 'unchanged',
              reason: change.why,
            });
          }
        }
        return changes.filter((c) => c.changed).map((c) => c.fn);
      });
    }

    const images = await core.group(`Build and push with ${builder.name}`, async () => {
      if (inputs.login) await builder.login(inputs.login);
      const built = await Promise.all(
        shipping.map(async (fn) => {
          const tags = tagsOf(repositoryOf(fn, inputs.registry), revision, inputs.tags);
          const where = contexts.find((c) => c.name === fn.name);
          const image = where
            ? await buildOne(builder, stack.file, where, fn, tags, inputs.platforms)
            : tags[0];
          core.info(`${fn.name}: ${image}`);
          return [fn.name, image as string] as const;
        }),
      );
      return Object.fromEntries(built);
    });
    setImagesOutput(images);

    const deployments = new Deployments({
      token: inputs.githubToken,
      context,
      environment: inputs.environment,
      ...(inputs.portalUrl ? { portalUrl: inputs.portalUrl } : {}),
    });
    const updater: FunctionUpdater = inputs.openfaas
      ? new OpenFaasUpdater(inputs.openfaas)
      : new KubernetesUpdater(cluster.kube);
    // When each function's rollout started, and the Canary's lastAppliedSpec and failure
    // before it; none for a function that already ran this revision.
    const started = new Map<string, Omit<FollowedCanary, 'name' | 'revision'>>();
    await core.group('Apply canaries', async () => {
      for (const fn of shipping) {
        const image = images[fn.name] as string;
        const update = () => updater.update(fn, namespace, image, revision);
        // A new Canary makes Flagger copy the target's pod template to the primary at once
        // and, a check later, record the template it finds then as applied: a template that
        // changed in between never reaches the primary. So for a first Canary the target runs
        // this revision before the Canary exists; otherwise the Canary comes first, and its
        // status then is what Flagger showed before this deploy.
        const isNew = !(await canaryExists(cluster.kube, namespace, fn.name));
        const since = new Date();
        const changedFirst = isNew ? await update() : undefined;
        const options = providers.get(fn.name)?.options ?? inputs.canary;
        const canary = await applyCanary(cluster.kube, fn.name, options, probes.get(fn.name));
        if (!isNew) await untilPromotionActedOn(cluster.kube, canary);
        // What the primary runs is what Flagger last promoted: on record before the target
        // changes, so a rollback can bring it back (docs/design.md, "Rollback after promotion").
        if (!isNew) await recordPromoted(cluster.kube, canary);
        if (changedFirst ?? (await update())) started.set(fn.name, rolloutStart(canary, since));
        core.info(
          `${fn.name}: Canary applied, ${updater.name} runs ${image} as revision ${revision}`,
        );
        await deployments.start(fn.name, revision, {
          revision,
          image: images[fn.name],
          canary: `${namespace}/${fn.name}`,
        });
        await deployments.status(fn.name, 'in_progress', 'Canary analysis started');
      }
    });

    let reports: CanaryReport[];
    if (inputs.waitUntil === 'applied' || shipping.length === 0) {
      reports = shipping.map((fn) => ({
        function: fn.name,
        namespace,
        revision,
        image: images[fn.name] as string,
        result: 'applied' as const,
        reason: `Revision ${revision} was handed to Flagger.`,
      }));
    } else {
      const results = await follow({
        kc: cluster.kc,
        namespace,
        canaries: shipping.map((fn) => {
          return {
            name: fn.name,
            revision,
            ...started.get(fn.name),
            ...(probes.has(fn.name) ? { probed: true } : {}),
          };
        }),
        until: inputs.waitUntil,
        deadline: Date.now() + inputs.timeoutMs,
        ...(inputs.prometheusUrl
          ? { metrics: new PrometheusMetrics({ url: inputs.prometheusUrl }) }
          : {}),
      });
      reports = results.map((r) =>
        reportOf(r, namespace, { revision, image: images[r.name] as string }),
      );
    }
    for (const report of reports) {
      await deployments.status(report.function, STATES[report.result], report.reason);
    }
    const all = [...reports, ...unchanged];
    const result = overallResult(all);
    setResultOutputs(result, revision, all);
    await writeSummary(`Greenlight deploy of ${revision}: ${result}`, all);
    conclude(result, all, inputs.failOnSuperseded);
  } finally {
    await cluster.close();
  }
}

/**
 * Each function's provider, read from its live Canary before anything is built or written:
 * a refusal (testers on a Canary kept on linkerd) stops the deploy here, the cluster closed.
 */
async function providersOf(
  cluster: Awaited<ReturnType<typeof connectCluster>>,
  inputs: Inputs,
  functions: StackFunction[],
): Promise<Map<string, FunctionProvider>> {
  try {
    const providers = new Map<string, FunctionProvider>();
    for (const fn of functions) {
      const choice = await providerFor(cluster.kube, inputs, fn.name);
      core.info(providerLine(fn.name, choice));
      providers.set(fn.name, choice);
    }
    const deprecated = deprecationOf([...providers.values()]);
    if (deprecated) core.warning(deprecated);
    return providers;
  } catch (err) {
    await cluster.close();
    throw err;
  }
}

async function buildOne(
  builder: ReturnType<typeof createBuilder>,
  stackFile: string,
  where: BuildContext,
  fn: StackFunction,
  tags: string[],
  platforms: string[],
): Promise<string> {
  if (where.shrinkwrap) await shrinkwrap(stackFile, fn.name);
  const built = await builder.build({
    name: fn.name,
    context: where.context,
    dockerfile: where.dockerfile,
    tags,
    platforms:
      platforms.length > 0 ? platforms : (fn.platforms?.split(',').map((p) => p.trim()) ?? []),
    buildArgs: fn.build_args ?? {},
  });
  return built.reference;
}

const STATES: Record<Result, DeploymentState> = {
  succeeded: 'success',
  failed: 'failure',
  'timed-out': 'failure',
  superseded: 'inactive',
  'awaiting-approval': 'in_progress',
  applied: 'in_progress',
  'in-progress': 'in_progress',
  'rolled-back': 'failure',
  unchanged: 'success',
};
