import { userInfo } from 'node:os';
import { Command } from 'commander';
import { abort, approve } from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { namingFlags } from '../flag-errors.ts';
import type { Io } from '../io.ts';
import { parseCanaryRef } from '../ref.ts';

/** `greenlight approve NS/CANARY`: approve promotion of the revision under analysis. */
export function approveCommand(io: Io): Command {
  return decisionCommand(io, 'approve', 'approve promotion of the revision under analysis');
}

/** `greenlight abort NS/CANARY`: ask the gate to roll the revision under analysis back. */
export function abortCommand(io: Io): Command {
  return decisionCommand(io, 'abort', 'roll back the revision under analysis');
}

function decisionCommand(io: Io, verb: 'approve' | 'abort', description: string): Command {
  const command = new Command(verb)
    .description(description)
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .option(
      '--revision <rev>',
      'the revision you reviewed; refused if another one is under analysis',
    )
    .option('--by <name>', 'who decides, recorded on the Canary (default: your user name)');
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const { kube } = connect(flags, io);
    const by: string = flags.by ?? io.env.USER ?? loginName() ?? '';
    const write = verb === 'approve' ? approve : abort;
    const result = await write(kube, ref, { revision: flags.revision, by }).catch((error) => {
      throw namingFlags(error, { revision: '--revision', by: '--by' });
    });
    const what = verb === 'approve' ? 'approved for promotion' : 'marked for rollback';
    io.out(`${ref.namespace}/${ref.name}: revision ${result.revision} ${what} by ${by}\n`);
    if (!result.recorded) {
      io.err(
        `greenlight: warning: the Kubernetes API refused the Event recording this; the annotations on the Canary hold it\n`,
      );
    }
  });
}

/** The OS login name; undefined where the user has no passwd entry (some containers). */
function loginName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
