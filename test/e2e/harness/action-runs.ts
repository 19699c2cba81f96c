// What the scenario files that run the GitHub Action share: the stack.yml of the one
// chatbot they ship, and a record of every action run so a failing scenario shows the runs
// it made.
import type { ActionRun } from '../../../action/test/support/run-action.ts';
import { scenario as withReport, type ReportSubjects } from './report.ts';

/** The OpenFaaS stack of one `lang: dockerfile` function, with an optional annotation line. */
export function chatbotStack(name: string, registry: string, annotation?: string): string {
  return [
    'version: 1.0',
    'provider:',
    '  name: openfaas',
    'functions:',
    `  ${name}:`,
    '    lang: dockerfile',
    `    handler: ./${name}`,
    `    image: ${registry}/${name}:latest`,
    ...(annotation ? ['    annotations:', `      ${annotation}`] : []),
    '',
  ].join('\n');
}

export type ActionRuns = { title: string; run: ActionRun }[];

/**
 * A scenario (harness/report.ts) whose failure also prints the last 40 lines of each action
 * run it made, after `context` (e.g. the seed).
 */
export function scenarioWithRuns(
  runs: ActionRuns,
  subjects: () => ReportSubjects,
  context = '',
): (name: string, body: () => Promise<void>) => void {
  return (name, body) =>
    withReport(name, subjects, async () => {
      const from = runs.length;
      try {
        await body();
      } catch (error) {
        const tails = runs
          .slice(from)
          .map(
            ({ title, run }) =>
              `--- ${title} (exit ${run.code})\n${run.stdout.split('\n').slice(-40).join('\n')}`,
          );
        throw new Error(
          `${(error as Error).message}\n\n${context}action runs:\n${tails.join('\n')}`,
          { cause: error },
        );
      }
    });
}
