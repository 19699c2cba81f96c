import { Command } from 'commander';
import { abort, approve, readAbort, readApproval } from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { namingFlags } from '../flag-errors.ts';
import { writerText } from '../format.ts';
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

// Who decided is who the Kubernetes API authenticates for this kubeconfig (core asks it with
// a SelfSubjectReview): a name the caller types could be anyone's. `--by` is only a note
// beside that identity (docs/design.md, "The approval protocol").
function decisionCommand(io: Io, verb: 'approve' | 'abort', description: string): Command {
  const command = new Command(verb)
    .description(`${description}; the approver recorded is who the Kubernetes API says you are`)
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .option(
      '--revision <rev>',
      'the revision you reviewed; refused if another one is under analysis',
    )
    .option(
      '--by <text>',
      'a note beside your identity, e.g. whom you act for (--by is a note, the identity is who the API server says)',
    );
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const { kube } = connect(flags, io);
    const write = verb === 'approve' ? approve : abort;
    const result = await write(kube, ref, { revision: flags.revision, note: flags.by }).catch(
      (error) => {
        // Core's `revision` is the flag only when one was given; else it is the Canary's.
        throw namingFlags(error, {
          revision: flags.revision !== undefined ? '--revision' : target,
        });
      },
    );
    const written = verb === 'approve' ? readApproval(result.canary) : readAbort(result.canary);
    const what = verb === 'approve' ? 'approved for promotion' : 'marked for rollback';
    const by = written ? ` by ${writerText(written)}` : '';
    io.out(`${ref.namespace}/${ref.name}: revision ${result.revision} ${what}${by}\n`);
    if (!result.recorded) {
      io.err(
        `greenlight: warning: the Kubernetes API refused the Event recording this; the annotations on the Canary hold it\n`,
      );
    }
  });
}
