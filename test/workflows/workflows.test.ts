import { describe, expect, test } from '@jest/globals';
import { actionlint, describeFindings } from './lint.ts';
import {
  actionSteps,
  readActionMetadata,
  readWorkflow,
  WORKFLOW_FILES,
  workflowText,
  type Job,
  type Workflow,
} from './workflow-files.ts';

const workflows = WORKFLOW_FILES.map((file) => [file, readWorkflow(file)] as const);

/** The kubeconfig input the Greenlight step of `job` is given. */
const kubeconfigOf = (workflow: Workflow, job: string) =>
  actionSteps(workflow).find((s) => s.job === job)?.step.with?.kubeconfig;

/** Every secret the steps of `job` read. */
const secretsReadBy = (workflow: Workflow, job: string) =>
  [...JSON.stringify(workflow.jobs[job]).matchAll(/secrets\.([\w-]+)/g)].map((m) => m[1]);

/** The most any job may ask of the caller's token. `id-token` is never needed. */
const ALLOWED_PERMISSIONS: Record<string, string[]> = {
  contents: ['read'],
  deployments: ['write'],
  packages: ['write'],
  'pull-requests': ['write'],
};

describe('the reusable workflows', () => {
  test.each(WORKFLOW_FILES)('%s passes actionlint', async (file) => {
    expect(describeFindings(await actionlint(workflowText(file), file))).toEqual([]);
  });

  test('actionlint reads workflow_call inputs, so a misspelt input is reported', async () => {
    const broken = workflowText('merge-to-deploy.yml').replace(
      '${{ inputs.stack-file }}',
      '${{ inputs.stack-fil }}',
    );
    const findings = await actionlint(broken, 'merge-to-deploy.yml');
    expect(findings.map((f) => f.message).join('\n')).toContain(
      'property "stack-fil" is not defined',
    );
  });

  test.each(workflows)(
    '%s is only callable from another workflow (on: workflow_call)',
    (_file, workflow) => {
      expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    },
  );

  test.each(workflows)(
    '%s passes the action only inputs action/action.yml declares',
    (_file, workflow) => {
      const declared = Object.keys(readActionMetadata().inputs);
      const steps = actionSteps(workflow);
      expect(steps.length).toBeGreaterThan(0);
      for (const { job, step } of steps) {
        const unknown = Object.keys(step.with ?? {}).filter((input) => !declared.includes(input));
        expect({ job, unknown }).toEqual({ job, unknown: [] });
      }
    },
  );

  test.each(workflows)(
    '%s reads only the token scopes its jobs use, and never id-token',
    (_file, workflow) => {
      expect(workflow.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(workflow.jobs) as [string, Job][]) {
        for (const [scope, level] of Object.entries(job.permissions ?? {})) {
          expect({
            job: name,
            scope,
            allowed: ALLOWED_PERMISSIONS[scope]?.includes(level) ?? false,
          }).toEqual({
            job: name,
            scope,
            allowed: true,
          });
        }
      }
      expect(workflowText(_file)).not.toContain('id-token');
    },
  );

  test('only the plan may write to pull requests; only deploying jobs write deployments', () => {
    for (const [file, workflow] of workflows) {
      for (const job of Object.values(workflow.jobs)) {
        if (job.permissions?.['pull-requests']) expect(file).toBe('pr-plan.yml');
        if (job.permissions?.deployments) {
          expect(actionSteps({ ...workflow, jobs: { job } }).length).toBe(1);
        }
      }
    }
  });
});

describe('merge-to-deploy', () => {
  const workflow = readWorkflow('merge-to-deploy.yml');
  const command = (job: string) =>
    actionSteps(workflow).find((s) => s.job === job)?.step.with?.command;

  test('queues rollouts per environment instead of cancelling one that waits for approval', () => {
    expect(workflow.concurrency).toEqual({
      group: 'greenlight-${{ inputs.environment }}',
      'cancel-in-progress': false,
    });
  });

  test('deploys in job deploy and promotes in job promote, after it', () => {
    expect(command('deploy')).toBe('deploy');
    expect(command('promote')).toBe('promote');
    expect(workflow.jobs.promote?.needs).toBe('deploy');
  });

  test('holds the promotion behind the environment (its required reviewers are the approval)', () => {
    expect(workflow.jobs.promote?.environment).toBe('${{ inputs.environment }}');
    expect(workflow.jobs.deploy?.environment).toBeUndefined();
    expect(workflow.jobs.promote?.if).toContain(
      "needs.deploy.outputs.result == 'awaiting-approval'",
    );
  });

  test('promotes exactly the revision the deploy job shipped', () => {
    const promote = actionSteps(workflow).find((s) => s.job === 'promote')?.step;
    expect(promote?.with?.revision).toBe('${{ needs.deploy.outputs.revision }}');
  });

  test('takes the stack file, registry, namespace, environment, approval and canary options as inputs', () => {
    const inputs = Object.keys(workflow.on.workflow_call?.inputs ?? {});
    for (const name of [
      'stack-file',
      'registry',
      'namespace',
      'environment',
      'approval',
      'provider',
      'strategy',
      'step-weight',
      'max-weight',
      'step-weights',
      'iterations',
      'interval',
      'threshold',
      'min-success-rate',
      'max-latency-ms',
      'gate-url',
      'probes',
      'probe-url',
      'probe-rounds',
    ]) {
      expect(inputs).toContain(name);
    }
  });

  test('takes the deploy and approve kubeconfigs, registry credentials and OpenFaaS password as secrets', () => {
    expect(Object.keys(workflow.on.workflow_call?.secrets ?? {}).sort()).toEqual([
      'APPROVE_KUBECONFIG',
      'kubeconfig',
      'openfaas-password',
      'registry-password',
      'registry-username',
    ]);
  });

  test('deploys with the deploy credential and approves with the environment’s approve credential only', () => {
    expect(kubeconfigOf(workflow, 'deploy')).toBe('${{ secrets.kubeconfig }}');
    expect(kubeconfigOf(workflow, 'promote')).toBe('${{ secrets.APPROVE_KUBECONFIG }}');
    // GitHub hands a called job the environment's secret only where the job names the environment.
    expect(workflow.jobs.promote?.environment).toBe('${{ inputs.environment }}');
    expect(secretsReadBy(workflow, 'deploy')).not.toContain('APPROVE_KUBECONFIG');
  });
});

describe('promote and pr-plan', () => {
  test('promote approves and aborts only in the environment, with its approve credential', () => {
    const workflow = readWorkflow('promote.yml');
    const steps = actionSteps(workflow);
    expect(steps.map((s) => [s.job, s.step.with?.command])).toEqual([
      ['approve', 'promote'],
      ['abort', 'abort'],
    ]);
    // Only approvers may write an abort too (the gate chart's admission policy).
    for (const job of ['approve', 'abort']) {
      expect(workflow.jobs[job]?.environment).toBe('${{ inputs.environment }}');
      expect(kubeconfigOf(workflow, job)).toBe('${{ secrets.APPROVE_KUBECONFIG }}');
    }
    expect(Object.keys(workflow.on.workflow_call?.secrets ?? {})).toEqual(['APPROVE_KUBECONFIG']);
    expect(workflow.jobs['refuse-bad-inputs']?.if).toBe(
      "(inputs.decision != 'approve' && inputs.decision != 'abort') || (inputs.decision == 'approve' && inputs.revision == '')",
    );
  });

  test('promote approves only a named revision: reviewers approve the commit they see', () => {
    const workflow = readWorkflow('promote.yml');
    expect(workflow.jobs.approve?.if).toBe("inputs.decision == 'approve' && inputs.revision != ''");
    expect(workflow.jobs.abort?.if).toBe("inputs.decision == 'abort'");
  });

  test('pr-plan reads the cluster with the one kubeconfig it is given, never an approve credential', () => {
    const workflow = readWorkflow('pr-plan.yml');
    expect(Object.keys(workflow.on.workflow_call?.secrets ?? {})).toEqual(['kubeconfig']);
    expect(kubeconfigOf(workflow, 'plan')).toBe('${{ secrets.kubeconfig }}');
    expect(workflowText('pr-plan.yml')).not.toMatch(/APPROVE_KUBECONFIG|environment:/);
  });

  test('pr-plan runs the action with command plan and may comment on the pull request', () => {
    const workflow = readWorkflow('pr-plan.yml');
    expect(actionSteps(workflow).map((s) => s.step.with?.command)).toEqual(['plan']);
    expect(workflow.jobs.plan?.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });
});
