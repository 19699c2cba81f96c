// promote and abort: write a person's word on each selected Canary (core's approval
// protocol), then follow to the end. Every Canary is checked before the first write, so a
// wrong revision refuses the whole command rather than approving half of the functions.
// promote first waits until Flagger analyses each revision (await-analysis.ts): an approval
// binds to the analysis under way. The approver recorded is the identity the Kubernetes API
// authenticates for the kubeconfig (core asks it); the GitHub actor and run are its note.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  abort,
  approve,
  readAbort,
  readApproval,
  revisionUnderAnalysis,
  rolloutObjects,
  UserError,
  type KubeClient,
  type MarkOptions,
  type MarkResult,
  type RevisionMark,
} from '@greenlight/core';
import * as core from '@actions/core';
import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { connectCluster } from '../apply/cluster.ts';
import { selectCanaries } from '../canary-selection.ts';
import { follow } from '../follow/follow.ts';
import { writerText } from '../format.ts';
import { Deployments } from '../report/deployments.ts';
import { overallResult, reportOf } from '../report/result.ts';
import { setResultOutputs } from '../report/outputs.ts';
import { appendSummary, escapeHtml, writeSummary } from '../report/summary.ts';
import { conclude } from '../report/conclude.ts';
import { awaitAnalysis } from './await-analysis.ts';

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
  // One timeout for the whole step: the wait for an analysis and the follow after the write.
  const deadline = Date.now() + inputs.timeoutMs;
  const namespace = inputs.canary.namespace;
  const cluster = await core.group('Check', () =>
    connectCluster(inputs.kubeconfig, namespace, context.runnerTemp),
  );
  try {
    const canaries = selectCanaries(cluster.canaries, inputs.functions, namespace);
    const revisions = await core.group('Revisions under analysis', () =>
      checkRevisions(cluster.kube, verb, canaries, inputs.revision),
    );
    if (verb === 'promote') {
      await core.group('Wait for the analysis', () =>
        awaitAnalysis({ kc: cluster.kc, namespace, revisions, deadline, log: core.info }),
      );
    }
    const note = noteOf(context);
    const deployments = new Deployments({
      token: inputs.githubToken,
      context,
      environment: inputs.environment,
      ...(inputs.portalUrl ? { portalUrl: inputs.portalUrl } : {}),
    });
    const marks = new Map<string, RevisionMark>();
    await core.group(verb === 'promote' ? 'Approve' : 'Abort', async () => {
      for (const canary of canaries) {
        const name = canary.metadata.name as string;
        const written = await WRITE[verb](
          cluster.kube,
          { namespace, name },
          { revision: revisions.get(name), note },
        );
        const recorded =
          verb === 'promote' ? readApproval(written.canary) : readAbort(written.canary);
        if (recorded) marks.set(name, recorded);
        core.info(
          `${name}: ${verb === 'promote' ? 'approved' : 'abort requested for'} revision ${written.revision} by ${writerText(recorded)}`,
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
      canaries: canaries.map((c) => ({
        name: c.metadata.name as string,
        revision: revisions.get(c.metadata.name as string) as string,
      })),
      until: 'done',
      deadline,
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
    await summariseMarks(verb, namespace, marks);
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

/** What the approval records beside the identity: who in GitHub asked, and in which run. */
function noteOf(context: RunContext): string {
  return context.runUrl ? `github:${context.actor} ${context.runUrl}` : `github:${context.actor}`;
}

/** Who approved (or asked to roll back) each revision, under the table of results. */
function summariseMarks(
  verb: Verb,
  namespace: string,
  marks: Map<string, RevisionMark>,
): Promise<void> {
  if (marks.size === 0) return Promise.resolve();
  const what = verb === 'promote' ? 'approved' : 'roll-back requested';
  const items = [...marks].map(([name, mark]) =>
    escapeHtml(`${namespace}/${name}: revision ${mark.revision} ${what} by ${writerText(mark)}`),
  );
  return appendSummary((summary) => summary.addList(items));
}

async function checkRevisions(
  kube: KubeClient,
  verb: Verb,
  canaries: Canary[],
  wanted?: string,
): Promise<Map<string, string>> {
  const revisions = new Map<string, string>();
  for (const canary of canaries) {
    const target = await kube.get<V1Deployment>(rolloutObjects(canary).target);
    // core's check, the one approve/abort and the gate make; the fix names this input.
    const revision = revisionUnderAnalysis(canary, target, {
      verb,
      wanted,
      fix: (current) => `Use revision: ${current}`,
    });
    if (revision instanceof UserError) throw revision;
    const name = canary.metadata.name as string;
    core.info(`${name}: revision ${revision}, ${canary.status?.phase || 'Unknown'}`);
    revisions.set(name, revision);
  }
  return revisions;
}
