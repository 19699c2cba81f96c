import { Command } from 'commander';
import { connect, withClusterFlags } from '../cluster.ts';
import { rolloutSummary } from '../format.ts';
import type { Io } from '../io.ts';
import { parseCanaryRef } from '../ref.ts';
import { loadRollout } from '../rollout.ts';

/** `greenlight status NS/CANARY`: the rollout as one view, read once. */
export function statusCommand(io: Io): Command {
  const command = new Command('status')
    .description('show a canary\'s rollout: phase, revisions, live weights, checks, approval')
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .option('-o, --output <format>', 'text or json', 'text');
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const { kube } = connect(flags);
    const view = await loadRollout(kube, ref);
    io.out(flags.output === 'json' ? `${JSON.stringify(view, null, 2)}\n` : rolloutSummary(view));
  });
}
