// rollback: bring back, on each selected Canary, the revision promoted before the one its
// primary runs — or `revision`, when it was recorded as promoted (docs/design.md, "Rollback
// after promotion") — then follow Flagger's analysis of it. Every Canary is checked before
// the first write, so one refusal rolls nothing back. `skip-analysis` promotes at once; the
// gate chart admits that only from an approver's kubeconfig.
import * as core from '@actions/core';
import { planRollback, readRollback, rollback, rolloutStart } from '@greenlight/core';
import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { connectCluster } from '../apply/cluster.ts';
import { selectCanaries } from '../canary-selection.ts';
import { follow, type FollowedCanary } from '../follow/follow.ts';
import { writerText } from '../format.ts';
import { Deployments } from '../report/deployments.ts';
import { overallResult, reportOf } from '../report/result.ts';
import { setResultOutputs } from '../report/outputs.ts';
import { appendSummary, escapeHtml, writeSummary } from '../report/summary.ts';
import { conclude } from '../report/conclude.ts';

export async function rollbackCommand(inputs: Inputs, context: RunContext): Promise<void> {
  const deadline = Date.now() + inputs.timeoutMs;
  const namespace = inputs.canary.namespace;
  const cluster = await core.group('Check', () =>
    connectCluster(inputs.kubeconfig, namespace, context.runnerTemp),
  );
  try {
    const names = selectCanaries(cluster.canaries, inputs.functions, namespace).map(
      (c) => c.metadata.name as string,
    );
    const plans = await core.group('Revisions to bring back', async () => {
      const planned = new Map<string, Awaited<ReturnType<typeof planRollback>>>();
      for (const name of names) {
        // With skip-analysis, the record is checked against the primary's ReplicaSets here.
        const plan = await planRollback(cluster.kube, { namespace, name }, inputs.revision, {
          skipAnalysis: inputs.skipAnalysis,
        });
        const images = Object.values(plan.entry.images).join(', ');
        core.info(
          `${name}: primary runs ${plan.from ?? 'no revision'}; back to ${plan.entry.revision} (${images})`,
        );
        planned.set(name, plan);
      }
      return planned;
    });
    const deployments = new Deployments({
      token: inputs.githubToken,
      context,
      environment: inputs.environment,
      ...(inputs.portalUrl ? { portalUrl: inputs.portalUrl } : {}),
    });
    const note = context.runUrl
      ? `github:${context.actor} ${context.runUrl}`
      : `github:${context.actor}`;
    const followed: FollowedCanary[] = [];
    const lines: string[] = [];
    const images = new Map<string, string>();
    await core.group('Roll back', async () => {
      for (const name of names) {
        const plan = plans.get(name)!;
        const since = new Date();
        const result = await rollback(
          cluster.kube,
          { namespace, name },
          {
            to: plan.entry.revision,
            skipAnalysis: inputs.skipAnalysis,
            note,
            promotionTimeoutMs: Math.max(0, deadline - Date.now()),
          },
        );
        const line = `${name}: rolled back from revision ${result.from || 'unknown'} to ${result.revision} by ${writerText(readRollback(result.canary))}${inputs.skipAnalysis ? ', skipping the analysis' : ''}`;
        core.info(line);
        lines.push(`${namespace}/${line}`);
        if (!result.recorded) {
          core.warning(
            `${name}: the Kubernetes API refused the Event recording this; the annotations on the Canary hold it`,
          );
        }
        const image = Object.values(result.images)[0];
        if (image) images.set(name, image);
        followed.push({ name, revision: result.revision, ...rolloutStart(plan.canary, since) });
        await deployments.start(name, result.revision, {
          revision: result.revision,
          ...(image ? { image } : {}),
          canary: `${namespace}/${name}`,
          rollbackFrom: result.from,
        });
        await deployments.status(name, 'in_progress', `Rollback to ${result.revision} started`);
      }
    });
    const results = await follow({
      kc: cluster.kc,
      namespace,
      canaries: followed,
      until: inputs.waitUntil === 'applied' ? 'awaiting-approval' : inputs.waitUntil,
      deadline,
    });
    const reports = results.map((r) => {
      const revision = followed.find((f) => f.name === r.name)?.revision;
      const image = images.get(r.name);
      return reportOf(r, namespace, {
        ...(revision ? { revision } : {}),
        ...(image ? { image } : {}),
      });
    });
    for (const report of reports) {
      const state =
        report.result === 'succeeded'
          ? 'success'
          : report.result === 'awaiting-approval'
            ? 'in_progress'
            : 'failure';
      await deployments.status(report.function, state, report.reason);
    }
    const result = overallResult(reports);
    setResultOutputs(result, followed[0]?.revision, reports);
    await writeSummary(`Greenlight rollback: ${result}`, reports);
    await appendSummary((summary) => summary.addList(lines.map(escapeHtml)));
    conclude(result, reports, inputs.failOnSuperseded);
  } finally {
    await cluster.close();
  }
}
