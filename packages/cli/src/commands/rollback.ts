import { Command } from 'commander';
import { readRollback, rollback } from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { EXIT } from '../exit-codes.ts';
import { namingFlags } from '../flag-errors.ts';
import { writerText } from '../format.ts';
import type { Io } from '../io.ts';
import { parseCanaryRef } from '../ref.ts';

/**
 * `greenlight rollback NS/CANARY [--to REV] [--skip-analysis]`: bring back a revision
 * recorded as promoted (docs/design.md, "Rollback after promotion"). Flagger analyses it
 * again unless --skip-analysis, which only an approver's credential may use.
 */
export function rollbackCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('rollback')
    .description(
      'bring back the revision promoted before the one the primary runs; Flagger analyses it again (approval included) unless --skip-analysis',
    )
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .option('--to <rev>', 'the revision to bring back; refused unless it was recorded as promoted')
    .option(
      '--skip-analysis',
      'promote it at once, without an analysis or approval (spec.skipAnalysis for this run, turned off after); the gate chart admits it only from approvers',
    )
    .option(
      '--by <text>',
      'a note beside your identity, e.g. why (the identity recorded is who the API server says)',
    );
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const { kube } = connect(flags, io);
    const id = `${ref.namespace}/${ref.name}`;
    const result = await rollback(kube, ref, {
      ...(flags.to !== undefined ? { to: flags.to } : {}),
      skipAnalysis: flags.skipAnalysis === true,
      note: flags.by,
      ...(io.signal ? { signal: io.signal } : {}),
    }).catch((error) => {
      throw namingFlags(error, {
        to: flags.to !== undefined ? '--to' : target,
        skipAnalysis: '--skip-analysis',
        phase: target,
      });
    });
    const mark = readRollback(result.canary);
    const by = mark ? ` by ${writerText(mark)}` : '';
    // The images too: what comes back is what the record names, not only a revision's name.
    const images = Object.values(result.images).join(', ');
    io.out(
      `${id}: rolling back from revision ${result.from || 'unknown'} to ${result.revision} (${images})${by}\n`,
    );
    if (!result.recorded) {
      io.err(
        'greenlight: warning: the Kubernetes API refused the Event recording this; the annotations on the Canary hold it\n',
      );
    }
    if (result.promoted === undefined) {
      io.out(
        `${id}: Flagger analyses revision ${result.revision} now; where approval is required, approve it (greenlight approve ${id} --revision ${result.revision}); follow it with greenlight watch ${id}\n`,
      );
    } else if (result.promoted) {
      io.out(`${id}: promoted without an analysis; the primary runs revision ${result.revision}\n`);
    } else {
      io.err(
        `greenlight: Flagger did not promote revision ${result.revision} in time; spec.skipAnalysis is off again, so it is analysed as usual (greenlight watch ${id})\n`,
      );
      setExit(EXIT.failure);
    }
  });
}
