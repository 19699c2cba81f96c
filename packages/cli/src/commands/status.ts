import { Command, Option } from 'commander';
import type { CoreV1Event } from '@kubernetes/client-node';
import {
  readCeLimitWarning,
  readRollout,
  type KubeClient,
  type RolloutView,
} from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { rolloutSummary, type ProbeRows } from '../format.ts';
import type { Io } from '../io.ts';
import { parseCanaryRef } from '../ref.ts';
import { lastProbeRun, probeRunText } from '../probe-runs.ts';
import { readCanary } from '../rollout.ts';

/** `greenlight status NS/CANARY`: the rollout as one view, read once. */
export function statusCommand(io: Io): Command {
  const command = new Command('status')
    .description("show a canary's rollout: phase, revisions, live weights, checks, approval")
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .addOption(
      new Option('-o, --output <format>', 'text, or json (the RolloutView)')
        .choices(['text', 'json'])
        .default('text'),
    );
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const { kube } = connect(flags, io);
    const view = await readRollout(kube, await readCanary(kube, ref));
    if (flags.output === 'json') io.out(`${JSON.stringify(view, null, 2)}\n`);
    else io.out(rolloutSummary(view, await probeRows(kube, view)));
    // OpenFaaS CE's limit, on stderr so the JSON stays one object; a count the credential
    // may not make (list deployments) is left out.
    const ceLimit = await readCeLimitWarning(kube, ref.namespace).catch(() => undefined);
    if (ceLimit) io.err(`greenlight: warning: ${ceLimit}\n`);
  });
}

/**
 * Each side's last probe run, from one list of the namespace's Events (the only request
 * `status` adds); none when the credential may not list Events.
 */
async function probeRows(kube: KubeClient, view: RolloutView): Promise<ProbeRows> {
  const events = await kube
    .list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, view.namespace)
    .catch(() => []);
  const text = (revision: string | undefined) => {
    const run = lastProbeRun(events, view.name, revision);
    return run && probeRunText(run);
  };
  const green = text(view.revision);
  const blue = view.promotedRevision === view.revision ? undefined : text(view.promotedRevision);
  return { ...(green && { green }), ...(blue && { blue }) };
}
