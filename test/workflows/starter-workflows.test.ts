import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionlint, describeFindings } from './lint.ts';
import { readWorkflow, ROOT, WORKFLOW_REF, type Job, type Workflow } from './workflow-files.ts';

// workflows/ holds the starter workflows a team copies into its own .github/workflows/ as
// they are. Each must lint, and each call of our reusable workflows must be one GitHub runs:
// only inputs and secrets the called workflow declares, every required one, and at least the
// token scopes its jobs ask for — GitHub refuses a nested job more than its caller grants
// ("The nested job ... is requesting 'deployments: write', but is only allowed ...").

const STARTERS = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.yml'));
const starters = STARTERS.map((file) => {
  const text = readFileSync(join(ROOT, 'workflows', file), 'utf8');
  return { file, text, workflow: parse(text) as Workflow };
});
const calls = (workflow: Workflow) =>
  Object.entries(workflow.jobs).filter(([, job]) => job.uses) as [string, Job & { uses: string }][];

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };

/** The scopes `called` needs of its caller: the most any of its jobs (or its top level) asks. */
function scopesNeeded(called: Workflow): Record<string, string> {
  const needed: Record<string, string> = {};
  for (const permissions of [
    called.permissions,
    ...Object.values(called.jobs).map((j) => j.permissions),
  ]) {
    for (const [scope, level] of Object.entries(permissions ?? {})) {
      if ((LEVEL[level] ?? 0) > (LEVEL[needed[scope] ?? 'none'] ?? 0)) needed[scope] = level;
    }
  }
  return needed;
}

describe('the starter workflows in workflows/', () => {
  test('there is the getting-started caller', () => {
    expect(STARTERS).toContain('greenlight.yml');
  });

  test.each(starters)('$file passes actionlint', async ({ file, text }) => {
    expect(describeFindings(await actionlint(text, file))).toEqual([]);
  });

  test.each(starters)(
    '$file calls our reusable workflows at the major tag the release moves, with only the inputs and secrets they declare and every required input',
    ({ workflow }) => {
      const called = calls(workflow);
      expect(called.length).toBeGreaterThan(0);
      for (const [name, job] of called) {
        expect({ job: name, uses: job.uses }).toEqual({
          job: name,
          uses: expect.stringMatching(/@v1$/),
        });
        const file = WORKFLOW_REF.exec(job.uses)?.[1];
        expect({ job: name, file }).toEqual({ job: name, file: expect.any(String) });
        const declared = readWorkflow(file as string).on.workflow_call;
        const unknownInputs = Object.keys(job.with ?? {}).filter(
          (k) => !(k in (declared?.inputs ?? {})),
        );
        const unknownSecrets =
          job.secrets === 'inherit'
            ? []
            : Object.keys(job.secrets ?? {}).filter((k) => !(k in (declared?.secrets ?? {})));
        const missingInputs = Object.entries(declared?.inputs ?? {})
          .filter(([input, spec]) => spec.required && !(input in (job.with ?? {})))
          .map(([input]) => input);
        const missingSecrets = Object.entries(declared?.secrets ?? {})
          .filter(
            ([secret, spec]) =>
              spec.required && job.secrets !== 'inherit' && !(secret in (job.secrets ?? {})),
          )
          .map(([secret]) => secret);
        expect({ job: name, unknownInputs, unknownSecrets, missingInputs, missingSecrets }).toEqual(
          {
            job: name,
            unknownInputs: [],
            unknownSecrets: [],
            missingInputs: [],
            missingSecrets: [],
          },
        );
      }
    },
  );

  test.each(starters)(
    '$file grants each call at least the token scopes the called workflow’s jobs ask for',
    ({ workflow }) => {
      for (const [name, job] of calls(workflow)) {
        const needed = scopesNeeded(readWorkflow(WORKFLOW_REF.exec(job.uses)?.[1] as string));
        const granted = job.permissions ?? workflow.permissions ?? {};
        const short = Object.entries(needed)
          .filter(([scope, level]) => (LEVEL[granted[scope] ?? 'none'] ?? 0) < (LEVEL[level] ?? 0))
          .map(([scope, level]) => `${scope}: ${level}`);
        expect({ job: name, short }).toEqual({ job: name, short: [] });
      }
    },
  );

  test('the manual decision offers exactly the decisions promote.yml accepts', () => {
    const caller = starters.find((s) => s.file === 'greenlight.yml')?.workflow;
    const dispatch = caller?.on.workflow_dispatch as {
      inputs: { decision: { options: string[] } };
    };
    expect(dispatch.inputs.decision.options).toEqual(['approve', 'abort']);
    // promote.yml's refuse-bad-inputs job names the two it accepts.
    expect(readWorkflow('promote.yml').jobs['refuse-bad-inputs']?.if).toContain(
      "inputs.decision != 'approve' && inputs.decision != 'abort'",
    );
  });
});
