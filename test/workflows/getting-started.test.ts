import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { render } from '../../charts/test/render.ts';
import { ROOT, type Workflow } from './workflow-files.ts';

// docs/getting-started.md promises two files a team can copy as they are. The caller is
// workflows/greenlight.yml (one copy; the page shows it, and a test holds the two equal;
// starter-workflows.test.ts lints it and checks its calls); the values file is taken from the
// page and must give the chart the Canary the workflow's options give the action.

const page = readFileSync(join(ROOT, 'docs/getting-started.md'), 'utf8');

function block(path: string): string {
  const match = new RegExp(
    '```yaml\\n(# ' + path.replaceAll('.', '\\.') + '\\n[\\s\\S]*?)```',
  ).exec(page);
  if (!match?.[1])
    throw new Error(`docs/getting-started.md has no yaml block starting "# ${path}"`);
  return match[1];
}

const callerText = readFileSync(join(ROOT, 'workflows/greenlight.yml'), 'utf8');
const caller = parse(callerText) as Workflow;
const valuesText = block('deploy/chatbot.values.yaml');
const credentials = parseAllDocuments(block('greenlight-credentials.yaml')).map(
  (d) =>
    d.toJS() as { kind: string; metadata: { name: string; namespace: string }; rules?: Rule[] },
);
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const role = (name: string) =>
  credentials.find((o) => o.kind === 'Role' && o.metadata.name === name)?.rules ?? [];

describe('the two files of docs/getting-started.md', () => {
  test('the page shows workflows/greenlight.yml as it is', () => {
    expect(block('.github/workflows/greenlight.yml')).toBe(callerText);
  });

  test('the values file gives the chart the Canary the workflow options give the action', async () => {
    const deploy = caller.jobs.deploy?.with as Record<string, string | boolean>;
    const objects = await render('chatbot', valuesText, {
      namespace: 'openfaas-fn',
      release: 'chatbot',
    });
    const fromChart = objects.filter((o) => o.kind === 'Canary' || o.kind === 'MetricTemplate');
    const options = resolveCanaryOptions({
      namespace: deploy.namespace as string,
      provider: deploy.provider as 'linkerd',
      strategy: deploy.strategy as 'canary',
      stepWeight: Number(deploy['step-weight']),
      maxWeight: Number(deploy['max-weight']),
      approval: deploy.approval as boolean,
    });
    expect(fromChart).toEqual(renderCanary({ name: 'chatbot' }, options));
  });

  test('the caller gives each job its own credential: read-only plan, deploy, and the environment’s approve', () => {
    expect(caller.jobs.plan?.secrets).toEqual({ kubeconfig: '${{ secrets.PLAN_KUBECONFIG }}' });
    expect(caller.jobs.deploy?.secrets).toMatchObject({
      kubeconfig: '${{ secrets.DEPLOY_KUBECONFIG }}',
      APPROVE_KUBECONFIG: '${{ secrets.APPROVE_KUBECONFIG }}',
    });
    expect(caller.jobs.decide?.secrets).toEqual({
      APPROVE_KUBECONFIG: '${{ secrets.APPROVE_KUBECONFIG }}',
    });
    expect(page).toContain('gh secret set APPROVE_KUBECONFIG --env production');
    expect(page).not.toContain(
      'reusable workflows receive repository secrets, not environment ones',
    );
  });

  test('the gate is installed with the approve ServiceAccount of the credentials file as its one approver', () => {
    const approvers = /admissionPolicy\.approvers\.usernames=\{([^}]*)\}/.exec(page)?.[1];
    const account = credentials.find(
      (o) => o.kind === 'ServiceAccount' && o.metadata.name === 'greenlight-approve',
    );
    expect(approvers).toBe(
      `system:serviceaccount:${account?.metadata.namespace}:${account?.metadata.name}`,
    );
  });

  test('the plan credential only reads; only deploy and approve may patch a Canary', () => {
    const writes = (name: string) =>
      role(name)
        .filter((r) => r.resources.includes('canaries'))
        .flatMap((r) => r.verbs)
        .filter((v) => !['get', 'list', 'watch'].includes(v));
    expect(role('greenlight-plan').flatMap((r) => r.verbs)).toEqual(
      expect.not.arrayContaining(['create', 'patch', 'update', 'delete', '*']),
    );
    expect(writes('greenlight-deploy')).toEqual(['create', 'patch']);
    expect(writes('greenlight-approve')).toEqual(['patch']);
  });
});
