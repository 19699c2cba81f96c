// promote and abort: write a person's word on each selected Canary (core's approval
// protocol), then follow to the end. Every Canary is checked before the first write, so a
// wrong revision refuses the whole command rather than approving half of the functions.
import type { Canary } from 'flagger-types';
import {
  abort,
  approve,
  UserError,
  type KubeClient,
  type MarkOptions,
  type MarkResult,
} from '@greenlight/core';
import * as core from '@actions/core';
import type { Inputs } from '../inputs.ts';
import type { RunContext } from '../context.ts';
import { connectCluster } from '../cluster.ts';
import { selectCanaries } from '../canary-selection.ts';
import { readRollout } from '../read-rollout.ts';
import { follow } from '../follow.ts';
import { Deployments } from '../report/deployments.ts';
import { overallResult, reportOf } from '../report/result.ts';
import { setResultOutputs } from '../report/outputs.ts';
import { writeSummary } from '../report/summary.ts';
import { conclude } from '../report/conclude.ts';

type Verb = 'promote' | 'abort';
const WRITE: Record<
  Verb,
  (
    kube: KubeClient,
    ref: { namespace: string; name: string },
    o: MarkOptions,
  ) => Promise<MarkResult>
> = {
  promote: approve,
  abort,
};

export async function mark(verb: Verb, inputs: Inputs, context: RunContext): Promise<void> {
  const namespace = inputs.canary.namespace;
  const cluster = await core.group('Check', () =>
    connectCluster(inputs.kubeconfig, namespace, context.runnerTemp),
  );
  try {
    const canaries = selectCanaries(cluster.canaries, inputs.functions, namespace);
    const revisions = await core.group('Revisions under analysis', () =>
      checkRevisions(cluster.kube, canaries, inputs.revision),
    );
    const by = context.runUrl ? `${context.actor} (${context.runUrl})` : context.actor;
    const deployments = new Deployments({
      token: inputs.githubToken,
      context,
      environment: inputs.environment,
      ...(inputs.portalUrl ? { portalUrl: inputs.portalUrl } : {}),
    });
    await core.group(verb === 'promote' ? 'Approve' : 'Abort', async () => {
      for (const canary of canaries) {
        const name = canary.metadata.name as string;
        const written = await WRITE[verb](
          cluster.kube,
          { namespace, name },
          { revision: revisions.get(name), by },
        );
        core.info(
          `${name}: ${verb === 'promote' ? 'approved' : 'abort requested for'} revision ${written.revision} as ${by}`,
        );
        if (!written.recorded) {
          core.warning(
            `${name}: the Kubernetes API refused the Event recording this; the annotations on the Canary hold it`,
          );
        }
        await deployments.find(name, written.revision);
      }
    });
    const results = await follow({
      kc: cluster.kc,
      namespace,
      provider: canaries[0]?.spec.provider,
      targets: canaries.map((c) => ({
        name: c.metadata.name as string,
        revision: revisions.get(c.metadata.name as string) as string,
      })),
      until: 'done',
      deadline: Date.now() + inputs.timeoutMs,
    });
    const reports = results.map((r) =>
      reportOf(r, namespace, {
        revision: revisions.get(r.name) as string,
        aborting: verb === 'abort',
      }),
    );
    for (const report of reports) {
      const state =
        report.result === 'succeeded'
          ? 'success'
          : report.result === 'superseded'
            ? 'inactive'
            : 'failure';
      await deployments.status(report.function, state, report.reason);
    }
    const result = overallResult(reports);
    setResultOutputs(result, inputs.revision ?? [...revisions.values()][0], reports);
    await writeSummary(`Greenlight ${verb}: ${result}`, reports);
    if (verb === 'abort' && reports.some((r) => r.result === 'succeeded')) {
      core.error(
        'a canary was promoted before the abort reached it; roll forward or redeploy the previous revision',
      );
      process.exitCode = 1;
    }
    conclude(result, reports, inputs.failOnSuperseded);
  } finally {
    await cluster.close();
  }
}

async function checkRevisions(
  kube: KubeClient,
  canaries: Canary[],
  wanted?: string,
): Promise<Map<string, string>> {
  const revisions = new Map<string, string>();
  for (const canary of canaries) {
    const view = await readRollout(kube, canary);
    const id = `${view.namespace}/${view.name}`;
    if (!view.revision) {
      throw new UserError(`Canary ${id} has no revision under analysis`, {
        field: 'functions',
        hint: 'Deploy it with Greenlight first, or leave it out of functions',
      });
    }
    if (wanted && wanted !== view.revision) {
      throw new UserError(
        `revision ${wanted} is not under analysis in Canary ${id}; revision ${view.revision} is`,
        {
          field: 'revision',
          hint: `Use revision: ${view.revision}, or wait for ${wanted} to be deployed`,
        },
      );
    }
    core.info(`${view.name}: revision ${view.revision}, ${view.phase}`);
    revisions.set(view.name, view.revision);
  }
  return revisions;
}
