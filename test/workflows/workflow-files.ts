// Reads our reusable workflows and the action's metadata as plain objects for the checks.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** GitHub calls reusable workflows only from a repository's .github/workflows folder. */
export const WORKFLOWS_DIR = '.github/workflows';
export const WORKFLOW_FILES = ['merge-to-deploy.yml', 'promote.yml', 'pr-plan.yml'] as const;

/** How the workflows refer to the action (the action lives in this repository's action/). */
export const ACTION_REF = /^greenlight-dev\/greenlight\/action@/;
/** How callers refer to our reusable workflows. */
export const WORKFLOW_REF = /^greenlight-dev\/greenlight\/\.github\/workflows\/([\w-]+\.yml)@/;

export interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
export interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
}
export interface Workflow {
  on: Record<string, unknown> & {
    workflow_call?: {
      inputs?: Record<string, { type: string; required?: boolean; default?: unknown }>;
      secrets?: Record<string, { required?: boolean }>;
    };
  };
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

export function workflowText(file: string): string {
  return readFileSync(join(ROOT, WORKFLOWS_DIR, file), 'utf8');
}

export function readWorkflow(file: string): Workflow {
  return parse(workflowText(file)) as Workflow;
}

/** Every step of `workflow` that runs the Greenlight action, with its job's name. */
export function actionSteps(workflow: Workflow): { job: string; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([job, spec]) =>
    (spec.steps ?? []).filter((s) => ACTION_REF.test(s.uses ?? '')).map((step) => ({ job, step })),
  );
}

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export function readActionMetadata(): ActionMetadata {
  return parse(readFileSync(join(ROOT, 'action/action.yml'), 'utf8')) as ActionMetadata;
}
