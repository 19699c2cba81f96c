// What the scenario files that run the GitHub Action share: the stack.yml of the one
// chatbot they ship, and a record of every action run so a failing scenario shows the runs
// it made.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '@greenlight/core';
import type { ActionRun } from '@greenlight/test-kit/processes/run-action';
import { chatbotDeployment } from './chatbot.ts';
import { scenario as withReport, type ReportSubjects } from './report.ts';

/** The OpenFaaS stack of one `lang: dockerfile` function, with its environment. */
export function chatbotStack(
  name: string,
  registry: string,
  environment: Record<string, string> = {},
): string {
  const variables = Object.entries(environment);
  return [
    'version: 1.0',
    'provider:',
    '  name: openfaas',
    'functions:',
    `  ${name}:`,
    '    lang: dockerfile',
    `    handler: ./${name}`,
    `    image: ${registry}/${name}:latest`,
    ...(variables.length > 0
      ? ['    environment:', ...variables.map(([key, value]) => `      ${key}: ${value}`)]
      : []),
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

/**
 * A runner's workspace holding `stack.yml` (the good chatbot) and `bad.yml`: the same
 * function shipped with the chatbot's `DEMO_FAULT=fail-questions`, so it fails the 30 % of
 * its users' messages that are questions (sandbox/src/mesh/users.ts). The mesh runs the code
 * with the pod template's env, where the action must put the stack's `environment` as
 * faas-netes does. The caller removes the folder.
 */
export function actionWorkspace(name: string, registry: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'greenlight-e2e-workspace-'));
  writeFileSync(join(workspace, 'stack.yml'), chatbotStack(name, registry));
  writeFileSync(
    join(workspace, 'bad.yml'),
    chatbotStack(name, registry, { DEMO_FAULT: 'fail-questions' }),
  );
  return workspace;
}

/**
 * What `faas-cli deploy` leaves before Greenlight's first run: the function's Deployment on
 * `:latest`, with no revision annotation yet.
 */
export async function applyFaasCliDeployment(
  kube: KubeClient,
  name: string,
  registry: string,
): Promise<void> {
  const existing = chatbotDeployment({ name, revision: 'none' });
  existing.spec!.template.metadata!.annotations = {};
  existing.spec!.template.spec!.containers[0]!.image = `${registry}/${name}:latest`;
  await kube.apply(existing as KubernetesObject);
}
