// status: one report of every selected canary. Reads only.
import { readCeLimitWarning, readRollout, type RolloutView } from '@greenlight/core';
import * as core from '@actions/core';
import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { connectCluster } from '../apply/cluster.ts';
import { selectCanaries } from '../canary-selection.ts';
import { rolloutLine } from '../format.ts';
import { overallResult, type CanaryReport, type Result } from '../report/result.ts';
import { setResultOutputs } from '../report/outputs.ts';
import { writeSummary } from '../report/summary.ts';

export async function status(inputs: Inputs, context: RunContext): Promise<void> {
  const namespace = inputs.canary.namespace;
  const cluster = await core.group('Check', () =>
    connectCluster(inputs.kubeconfig, namespace, context.runnerTemp),
  );
  try {
    const canaries = selectCanaries(cluster.canaries, inputs.functions, namespace);
    const reports: CanaryReport[] = [];
    for (const canary of canaries) {
      const view = await readRollout(cluster.kube, canary);
      core.info(`${view.name}: ${rolloutLine(view)} — ${view.reason}`);
      reports.push({
        function: view.name,
        namespace,
        ...(view.revision ? { revision: view.revision } : {}),
        result: resultOf(view),
        phase: view.phase,
        green: view.weights.green,
        blue: view.weights.blue,
        reason: view.reason,
      });
    }
    // OpenFaaS CE's limit, counted as faas-netes counts (a credential without `list
    // deployments` only skips the count).
    const ceLimit = await readCeLimitWarning(cluster.kube, namespace).catch((err: Error) => {
      core.info(`OpenFaaS CE's function count skipped: ${err.message}`);
      return undefined;
    });
    if (ceLimit) core.warning(ceLimit);
    const result = overallResult(reports);
    setResultOutputs(result, inputs.revision, reports);
    await writeSummary(`Greenlight status: ${result}`, reports);
  } finally {
    await cluster.close();
  }
}

function resultOf(view: RolloutView): Result {
  switch (view.verdict) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'superseded':
      return 'superseded';
    case 'in-progress':
      return view.waitingForApproval ? 'awaiting-approval' : 'in-progress';
    case 'idle':
      return 'unchanged';
  }
}
