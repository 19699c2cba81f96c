import { KubeApiError } from '@greenlight/core';
import { explainSyncError, syncLogger } from '../src/index.ts';

const forbidden = new KubeApiError(
  'could not watch Deployment: deployments.apps is forbidden: User "system:serviceaccount:greenlight:greenlight-gate" cannot watch resource "deployments" in API group "apps" at the cluster scope (403 Forbidden)',
  { code: 403, reason: 'Forbidden' },
);

test('an RBAC refusal names the verb, the resource and the chart RBAC that grants it', () => {
  expect(explainSyncError('Deployment', forbidden)).toBe(
    "The API server refused to let the gate watch deployments.apps: grant the gate's identity get, list and watch on deployments.apps (the greenlight-gate chart's RBAC, templates/rbac.yaml: a ClusterRole, or a Role in the namespace given by --namespace / watchNamespace).",
  );
});

test('an unreachable API names the address to check', () => {
  const unreachable = new KubeApiError(
    'could not list Canary: cannot reach the Kubernetes API (connect ECONNREFUSED 10.0.0.1:443)',
    {},
  );
  expect(explainSyncError('Canary', unreachable, 'https://10.0.0.1:443')).toContain(
    'The gate cannot reach the Kubernetes API at https://10.0.0.1:443: check that address',
  );
});

test('sync failures are logged once per change with what to fix, and the recovery once', () => {
  const lines: string[] = [];
  const logger = syncLogger(
    'Deployment',
    () => 'Deployment',
    (line) => lines.push(line),
  );
  logger.failed(forbidden);
  logger.failed(forbidden);
  logger.failed(forbidden);
  logger.synced();
  logger.synced();
  expect(lines).toEqual([
    expect.stringMatching(
      /^gate: the Deployment cache is not synced, so the gate refuses every webhook: could not watch Deployment: .*\(403 Forbidden\)\. The API server refused to let the gate watch deployments\.apps: grant/,
    ),
    'gate: the Deployment cache is synced again',
  ]);
});
