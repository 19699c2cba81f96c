// Who may approve and who may reach the gate, as the greenlight-gate chart renders them: the
// ValidatingAdmissionPolicy on Canaries (its CEL runs on the real kube-apiserver in
// test/e2e/scenarios/admission.test.ts) and the NetworkPolicy in front of the gate.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { kinds, pick, render, template, type K8sObject, type Rendered } from './render.ts';

const NS = { namespace: 'greenlight', release: 'greenlight-gate' };
const APPROVE = 'system:serviceaccount:greenlight:greenlight-approve';
const BACKSTAGE = 'system:serviceaccount:backstage:backstage-backend';
const approvers = (approvers: object, extra: object = {}) => ({
  ...extra,
  admissionPolicy: { approvers },
});

interface Variable {
  name: string;
  expression: string;
}
interface Validation {
  expression: string;
  message: string;
  messageExpression: string;
  reason: string;
}
interface PolicySpec {
  failurePolicy: string;
  matchConstraints: { resourceRules: Record<string, string[]>[] };
  variables: Variable[];
  validations: Validation[];
}
interface Peer {
  namespaceSelector: { matchLabels: Record<string, string> };
  podSelector?: { matchLabels: Record<string, string> };
}
interface NetworkPolicySpec {
  podSelector: { matchLabels: Record<string, string> };
  policyTypes: string[];
  ingress: { from: Peer[]; ports: { protocol: string; port: number }[] }[];
}

let both: K8sObject[];
let namespaced: K8sObject[];
let defaults: Rendered;
let off: K8sObject[];
beforeAll(async () => {
  [both, namespaced, defaults, off] = await Promise.all([
    render('greenlight-gate', approvers({ usernames: [APPROVE, BACKSTAGE], groups: ['sre'] }), NS),
    render(
      'greenlight-gate',
      approvers({ usernames: [APPROVE] }, { watchNamespace: 'openfaas-fn' }),
      NS,
    ),
    template('greenlight-gate', {}, NS),
    render(
      'greenlight-gate',
      { admissionPolicy: { enabled: false }, networkPolicy: { enabled: false } },
      NS,
    ),
  ]);
});

const policy = (objects: K8sObject[]) =>
  pick(objects, 'ValidatingAdmissionPolicy').spec as PolicySpec;
const variable = (objects: K8sObject[], name: string) =>
  policy(objects).variables.find((v) => v.name === name)?.expression;
const network = (objects: K8sObject[]) => pick(objects, 'NetworkPolicy').spec as NetworkPolicySpec;

describe('the greenlight-gate chart’s admission policy', () => {
  test('is on by default and refuses to install until someone may approve, saying how to fix it', () => {
    expect(defaults.ok).toBe(false);
    expect(defaults.error).toContain('admissionPolicy.approvers is empty');
    expect(defaults.error).toContain('admissionPolicy.approvers.usernames');
    expect(defaults.error).toContain('admissionPolicy.enabled=false');
  });

  test('checks every create and update of a Canary, and refuses when its rules cannot be evaluated', () => {
    expect(policy(both).failurePolicy).toBe('Fail');
    expect(policy(both).matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ['flagger.app'],
        apiVersions: ['*'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['canaries'],
      },
    ]);
  });

  test('is bound to deny (not warn or audit), across the cluster', () => {
    const binding = pick(both, 'ValidatingAdmissionPolicyBinding');
    expect(binding.metadata.name).toBe('greenlight-gate-approvers');
    expect(binding.spec).toEqual({
      policyName: 'greenlight-gate-approvers',
      validationActions: ['Deny'],
    });
  });

  test('lists exactly the configured approvers, usernames and groups, as CEL lists', () => {
    expect(JSON.parse(variable(both, 'approverUsernames') as string)).toEqual([APPROVE, BACKSTAGE]);
    expect(JSON.parse(variable(both, 'approverGroups') as string)).toEqual(['sre']);
    expect(JSON.parse(variable(namespaced, 'approverGroups') as string)).toEqual([]);
  });

  test('guards every approved- and abort- key, and only writes that add or change one', () => {
    expect(variable(both, 'approvalsWritten')).toContain(
      "k.startsWith('greenlight.dev/approved-')",
    );
    expect(variable(both, 'abortsWritten')).toContain("k.startsWith('greenlight.dev/abort-')");
    // A key that is gone from the new object is not in either list: removal stays open.
    expect(variable(both, 'approvalsWritten')).toMatch(/^variables\.after\.filter\(/);
    // oldObject is null on CREATE, and annotations may be absent on either side.
    expect(variable(both, 'before')).toContain('oldObject != null');
    expect(variable(both, 'after')).toContain('has(object.metadata.annotations)');
  });

  test('makes every approval and abort carry its writer’s authenticated username', () => {
    const rules = policy(both).validations.map((v) => v.expression.replace(/\s+/g, ' '));
    expect(rules).toEqual([
      'size(variables.approvalsWritten) + size(variables.abortsWritten) == 0 || variables.isApprover',
      'size(variables.approvalsWritten) == 0 || variables.approvedBy == request.userInfo.username',
      'size(variables.abortsWritten) == 0 || variables.abortBy == request.userInfo.username',
    ]);
    expect(variable(both, 'approvedBy')).toContain("'greenlight.dev/approved-by'");
    expect(variable(both, 'abortBy')).toContain("'greenlight.dev/abort-by'");
  });

  test('refuses with a message that names the policy and says who may approve', () => {
    const [who] = policy(both).validations as [Validation];
    for (const text of [who.message, who.messageExpression]) {
      expect(text).toContain('greenlight-gate-approvers');
      expect(text).toContain(`users ${APPROVE}, ${BACKSTAGE}; groups sre`);
    }
    expect(who.messageExpression).toContain('request.userInfo.username');
    expect(who.reason).toBe('Forbidden');
  });

  test('with watchNamespace: bound to the Canaries of that namespace only', () => {
    expect(pick(namespaced, 'ValidatingAdmissionPolicyBinding').spec).toMatchObject({
      matchResources: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openfaas-fn' } },
      },
    });
  });

  test('can be turned off, and then needs no approvers', () => {
    expect(kinds(off)).not.toContain('ValidatingAdmissionPolicy');
    expect(kinds(off)).not.toContain('ValidatingAdmissionPolicyBinding');
  });
});

describe('the greenlight-gate chart’s NetworkPolicy', () => {
  test('admits only Flagger’s namespace and Prometheus, on the gate’s port and Linkerd’s proxy ports', () => {
    const spec = network(both);
    expect(spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'greenlight-gate',
      'app.kubernetes.io/instance': 'greenlight-gate',
    });
    expect(spec.policyTypes).toEqual(['Ingress']);
    expect(spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'flagger-system' } },
          },
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd-viz' } },
            podSelector: { matchLabels: { component: 'prometheus' } },
          },
        ],
        ports: [8080, 4143, 4191].map((port) => ({ protocol: 'TCP', port })),
      },
    ]);
  });

  test('takes Flagger’s and Prometheus’ selectors and the ports from values', async () => {
    const objects = await render(
      'greenlight-gate',
      approvers(
        { groups: ['sre'] },
        {
          port: 9000,
          networkPolicy: {
            flagger: {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'flagger' } },
            },
            prometheus: {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
              // Helm merges maps into the defaults; null removes the default pod selector.
              podSelector: null,
            },
            linkerdPorts: [],
          },
        },
      ),
      NS,
    );
    expect(network(objects).ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'flagger' } },
          },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
        ports: [{ protocol: 'TCP', port: 9000 }],
      },
    ]);
  });

  test('can be turned off', () => {
    expect(kinds(off)).not.toContain('NetworkPolicy');
  });
});

describe('values.schema.json refuses', () => {
  const refusals: [string, object, string][] = [
    [
      'approvers given as one string',
      approvers({ usernames: APPROVE }),
      "at '/admissionPolicy/approvers/usernames': got string, want array",
    ],
    [
      'an approver with a space in it',
      approvers({ usernames: ['alice bob'] }),
      "at '/admissionPolicy/approvers/usernames/0'",
    ],
    [
      'the same approver twice',
      approvers({ usernames: [APPROVE, APPROVE] }),
      "at '/admissionPolicy/approvers/usernames'",
    ],
    [
      'a misspelt approvers key',
      { admissionPolicy: { approver: { usernames: [APPROVE] } } },
      "additional properties 'approver' not allowed",
    ],
    [
      'enabled as text',
      { admissionPolicy: { enabled: 'no' } },
      "at '/admissionPolicy/enabled': got string, want boolean",
    ],
    [
      'a namespace selector emptied, which would admit every namespace',
      approvers(
        { usernames: [APPROVE] },
        { networkPolicy: { flagger: { namespaceSelector: { matchLabels: null } } } },
      ),
      "at '/networkPolicy/flagger/namespaceSelector'",
    ],
    [
      'a Linkerd port out of range',
      approvers({ usernames: [APPROVE] }, { networkPolicy: { linkerdPorts: [0] } }),
      "at '/networkPolicy/linkerdPorts/0'",
    ],
  ];
  test.each(refusals)('%s', async (_title, values, says) => {
    const result = await template('greenlight-gate', values, NS);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("values don't meet the specifications of the schema");
    expect(result.error).toContain(says);
  });
});
