import { Command, Option } from 'commander';
import { readCeLimitWarning, readRollout } from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { rolloutSummary } from '../format.ts';
import type { Io } from '../io.ts';
import { parseCanaryRef } from '../ref.ts';
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
    io.out(flags.output === 'json' ? `${JSON.stringify(view, null, 2)}\n` : rolloutSummary(view));
    // OpenFaaS CE's limit, on stderr so the JSON stays one object; a count the credential
    // may not make (list deployments) is left out.
    const ceLimit = await readCeLimitWarning(kube, ref.namespace).catch(() => undefined);
    if (ceLimit) io.err(`greenlight: warning: ${ceLimit}\n`);
  });
}
