// Who may approve and who may reach the gate, as the greenlight-gate chart renders them: the
// ValidatingAdmissionPolicy on Canaries (its CEL runs on the real kube-apiserver in
// test/e2e/scenarios/admission.test.ts) and the NetworkPolicy in front of the gate.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { kinds, pick, render, template, type K8sObject, type Rendered } from './render.ts';

const NS = { namespace: 'greenlight', release: 'greenlight-gate' };
const APPROVE = 'system:serviceaccount:greenlight:greenlight-approve';
const BACKSTAGE = 'system:serviceaccount:backstage:backstage-backend';
const approvers = (
  approvers: object,
  extra: { admissionPolicy?: object; [value: string]: unknown } = {},
) => ({
  ...extra,
  admissionPolicy: { ...extra.admissionPolicy, approvers },
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

const APPROVERS = 'greenlight-gate-approvers';
const KEEP_GATE = 'greenlight-gate-keep-gate';
const policy = (objects: K8sObject[], name = APPROVERS) =>
  pick(objects, 'ValidatingAdmissionPolicy', name).spec as PolicySpec;
const variable = (objects: K8sObject[], name: string, policyName = APPROVERS) =>
  policy(objects, policyName).variables.find((v) => v.name === name)?.expression;
const network = (objects: K8sObject[]) =>
  pick(objects, 'NetworkPolicy', 'greenlight-gate').spec as NetworkPolicySpec;

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
    const binding = pick(both, 'ValidatingAdmissionPolicyBinding', APPROVERS);
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

  test('guards every approved- and abort- key, whether a write adds, changes or removes it', () => {
    expect(variable(both, 'approvalsWritten')).toContain(
      "k.startsWith('greenlight.dev/approved-')",
    );
    expect(variable(both, 'abortsWritten')).toContain("k.startsWith('greenlight.dev/abort-')");
    expect(variable(both, 'approvalsWritten')).toMatch(/^variables\.after\.filter\(/);
    // A key the old object had and the new one lacks: removing an abort or approval is an
    // approver's too (the deploy withdrawing an abort let a standing approval promote).
    const removed = (variable(both, 'marksRemoved') as string).replace(/\s+/g, ' ');
    expect(removed).toMatch(/^variables\.before\.filter\(/);
    expect(removed).toContain(
      "(k.startsWith('greenlight.dev/approved-') || k.startsWith('greenlight.dev/abort-')) && !(k in variables.after)",
    );
    // oldObject is null on CREATE, and annotations may be absent on either side.
    expect(variable(both, 'before')).toContain('oldObject != null');
    expect(variable(both, 'after')).toContain('has(object.metadata.annotations)');
  });

  test('makes every approval and abort carry its writer’s authenticated username, and keeps the owner to approvers once set', () => {
    const rules = policy(both).validations.map((v) => v.expression.replace(/\s+/g, ' '));
    expect(rules).toEqual([
      'size(variables.approvalsWritten) + size(variables.abortsWritten) + size(variables.marksRemoved) == 0 || variables.isApprover',
      'size(variables.approvalsWritten) == 0 || variables.approvedBy == request.userInfo.username',
      'size(variables.abortsWritten) == 0 || variables.abortBy == request.userInfo.username',
      '!variables.ownerMoved || variables.isApprover',
      'size(variables.rollbacksWritten) == 0 || variables.rollbackBy == request.userInfo.username',
    ]);
    // A rollback's audit is anyone's who may deploy, signed by its writer like an approval.
    expect(variable(both, 'rollbacksWritten')).toContain(
      "k.startsWith('greenlight.dev/rollback-')",
    );
    expect(variable(both, 'rollbackBy')).toContain("'greenlight.dev/rollback-by'");
    // Set before, and gone or another value after; setting it on create or where absent is open.
    expect((variable(both, 'ownerMoved') as string).replace(/\s+/g, ' ')).toBe(
      "'greenlight.dev/owner' in variables.before && (!('greenlight.dev/owner' in variables.after) || variables.after['greenlight.dev/owner'] != variables.before['greenlight.dev/owner'])",
    );
    expect(variable(both, 'approvedBy')).toContain("'greenlight.dev/approved-by'");
    expect(variable(both, 'abortBy')).toContain("'greenlight.dev/abort-by'");
  });

  test('refuses with a message that names the policy and says who may approve', () => {
    const [who, , , owner] = policy(both).validations as Validation[] as [
      Validation,
      Validation,
      Validation,
      Validation,
    ];
    for (const text of [
      who.message,
      who.messageExpression,
      owner.message,
      owner.messageExpression,
    ]) {
      expect(text).toContain('greenlight-gate-approvers');
      expect(text).toContain(`users ${APPROVE}, ${BACKSTAGE}; groups sre`);
    }
    expect(who.messageExpression).toContain('may add, change or remove greenlight.dev/approved-*');
    expect(who.messageExpression).toContain("' (it removed ' + variables.marksRemoved.join(', ')");
    expect(owner.messageExpression).toContain('may change or remove greenlight.dev/owner');
    expect(owner.messageExpression).toContain('the write removes it');
    for (const v of [who, owner]) {
      expect(v.messageExpression).toContain('request.userInfo.username');
      expect(v.reason).toBe('Forbidden');
    }
  });

  test('with watchNamespace: bound to the Canaries of that namespace only', () => {
    expect(pick(namespaced, 'ValidatingAdmissionPolicyBinding', APPROVERS).spec).toMatchObject({
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

/** The keep-gate policy's URL pattern for one gate route, as CEL's RE2 would run it. */
function gatePattern(objects: K8sObject[], route: 'promotion' | 'rollback'): RegExp {
  // A CEL string literal, JSON-quoted by the template; RE2's leading (?i) is JS's i flag.
  const source = JSON.parse(variable(objects, 'gate', KEEP_GATE) as string) as string;
  expect(source.startsWith('(?i)')).toBe(true);
  return new RegExp(`${source.slice('(?i)'.length)}${route}$`, 'i');
}

/** Flagger's webhooks of the Canary `greenlight render --approval` writes (default gate URL). */
function renderedWebhooks(): { type?: string; url: string }[] {
  const options = resolveCanaryOptions({ namespace: 'openfaas-fn', approval: true });
  const [canary] = renderCanary({ name: 'chatbot' }, options) as {
    spec: { analysis: { webhooks: { type?: string; url: string }[] } };
  }[];
  return canary?.spec.analysis.webhooks ?? [];
}

describe('the greenlight-gate chart’s keep-gate policy', () => {
  test('judges every update and delete of a Canary (creation is the first apply), refusing when its rules cannot be evaluated', () => {
    const spec = policy(both, KEEP_GATE);
    expect(spec.failurePolicy).toBe('Fail');
    expect(spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ['flagger.app'],
        apiVersions: ['*'],
        operations: ['UPDATE', 'DELETE'],
        resources: ['canaries'],
      },
    ]);
    expect(pick(both, 'ValidatingAdmissionPolicyBinding', KEEP_GATE).spec).toEqual({
      policyName: KEEP_GATE,
      validationActions: ['Deny'],
    });
    expect(pick(namespaced, 'ValidatingAdmissionPolicyBinding', KEEP_GATE).spec).toMatchObject({
      matchResources: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openfaas-fn' } },
      },
    });
  });

  test('knows the gate by every name its Service resolves to in a pod, and by nothing that resolves elsewhere', () => {
    const promotion = gatePattern(both, 'promotion');
    const gate = [
      'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/promotion',
      'http://greenlight-gate.greenlight.svc.cluster.local./gate/promotion',
      'http://greenlight-gate.greenlight.svc:8080/gate/promotion',
      'http://greenlight-gate.greenlight:8080/gate/promotion',
      'http://greenlight-gate.greenlight/gate/promotion',
      'HTTP://Greenlight-Gate.GREENLIGHT.svc.Cluster.Local:8080/gate/promotion',
    ];
    const elsewhere = [
      'http://flagger-loadtester.test/gate/approve',
      'http://greenlight-gate.greenlight.svc.example.com:8080/gate/promotion',
      'http://greenlight-gate.greenlight.svc.cluster.local.example.com/gate/promotion',
      'http://greenlight-gate.other.svc.cluster.local:8080/gate/promotion',
      'http://greenlight-gate-x.greenlight.svc.cluster.local:8080/gate/promotion',
      'http://greenlight-gateXgreenlight.svc.cluster.local:8080/gate/promotion',
      'http://greenlight-gate.greenlight.svc.cluster.local:8080@evil.example.com/gate/promotion',
      'http://evil.example.com/?next=http://greenlight-gate.greenlight:8080/gate/promotion',
      'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/promotion/../open',
      'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/rollback',
    ];
    expect(gate.filter((url) => !promotion.test(url))).toEqual([]);
    expect(elsewhere.filter((url) => promotion.test(url))).toEqual([]);
    expect(gatePattern(both, 'rollback').test(gate[0]!.replace('promotion', 'rollback'))).toBe(
      true,
    );
  });

  test('knows the Canaries the deploy renders with approval on as wired to it', () => {
    const webhooks = renderedWebhooks();
    expect(webhooks.map((w) => w.type)).toEqual(['confirm-promotion', 'rollback']);
    const [promotion, rollback] = webhooks as [{ url: string }, { url: string }];
    expect(gatePattern(both, 'promotion').test(promotion.url)).toBe(true);
    expect(gatePattern(both, 'rollback').test(rollback.url)).toBe(true);
  });

  test('adds the other URLs it is given, literally, and takes the namespace, port and cluster domain', async () => {
    const objects = await render(
      'greenlight-gate',
      approvers(
        { usernames: [APPROVE] },
        {
          port: 9000,
          clusterDomain: 'corp.internal',
          admissionPolicy: {
            gateUrls: ['https://gate.example.com/greenlight/', 'http://127.0.0.1:31000'],
          },
        },
      ),
      { namespace: 'delivery', release: 'greenlight-gate' },
    );
    const promotion = gatePattern(objects, 'promotion');
    for (const url of [
      'http://greenlight-gate.delivery.svc.corp.internal:9000/gate/promotion',
      'https://gate.example.com/greenlight/gate/promotion',
      'http://127.0.0.1:31000/gate/promotion',
    ])
      expect([url, promotion.test(url)]).toEqual([url, true]);
    for (const url of [
      'http://greenlight-gate.delivery.svc.cluster.local:9000/gate/promotion',
      'http://greenlight-gate.delivery:8080/gate/promotion',
      'https://gateXexample.com/greenlight/gate/promotion',
      'http://127.0.0.1:31001/gate/promotion',
    ])
      expect([url, promotion.test(url)]).toEqual([url, false]);
  });

  test('lets only approvers remove or repoint a gate webhook, turn skipAnalysis on, change the target or delete the Canary', () => {
    const rules = policy(both, KEEP_GATE).validations.map((v) => v.expression.replace(/\s+/g, ' '));
    expect(rules).toEqual([
      'size(variables.removed) == 0 || variables.isApprover',
      '!variables.skipTurnedOn || variables.isApprover',
      '!variables.retargeted || variables.isApprover',
      "request.operation != 'DELETE' || !variables.gated || variables.isApprover || variables.namespaceEnding",
    ]);
    const flat = (name: string) => (variable(both, name, KEEP_GATE) as string).replace(/\s+/g, ' ');
    // Only a Canary that called this gate before the write is guarded, by webhook type and route.
    expect(flat('gated')).toBe('variables.promotionBefore || variables.rollbackBefore');
    expect(flat('promotionBefore')).toContain(
      "h.type == 'confirm-promotion' && string(h.url).matches(variables.gate + 'promotion$')",
    );
    expect(flat('rollbackAfter')).toContain(
      "h.type == 'rollback' && string(h.url).matches(variables.gate + 'rollback$')",
    );
    // Flagger reads spec.analysis; a DELETE has no new object.
    expect(flat('hooksBefore')).toContain('oldObject.spec.analysis.webhooks');
    expect(flat('hooksAfter')).toMatch(/^object != null && /);
    expect(flat('removed')).toMatch(/^object == null \? \[\] : /);
    // Turning skipAnalysis on, not leaving it on; any change of the target.
    expect(flat('skipTurnedOn')).toContain(
      '!(has(oldObject.spec.skipAnalysis) && oldObject.spec.skipAnalysis == true)',
    );
    expect(flat('retargeted')).toContain('object.spec.targetRef != oldObject.spec.targetRef');
    expect(JSON.parse(variable(both, 'approverUsernames', KEEP_GATE) as string)).toEqual([
      APPROVE,
      BACKSTAGE,
    ]);
    expect(JSON.parse(variable(both, 'approverGroups', KEEP_GATE) as string)).toEqual(['sre']);
  });

  test('refuses with a message naming the policy, what the write would do and who may do it', () => {
    const texts = policy(both, KEEP_GATE).validations.flatMap((v) => [
      v.message,
      v.messageExpression,
    ]);
    for (const text of texts) {
      expect(text).toContain(KEEP_GATE);
      expect(text).toContain(`only its approvers (users ${APPROVE}, ${BACKSTAGE}; groups sre) may`);
    }
    const [removed, skip, target, deletion] = policy(both, KEEP_GATE).validations as [
      Validation,
      Validation,
      Validation,
      Validation,
    ];
    expect(removed.messageExpression).toContain("variables.removed.join(' and ')");
    expect(removed.messageExpression).toContain(
      'gate URL http://greenlight-gate.greenlight.svc.cluster.local:8080',
    );
    expect(skip.messageExpression).toContain('set spec.skipAnalysis to true on Canary');
    expect(target.messageExpression).toContain('change spec.targetRef of Canary');
    expect(deletion.messageExpression).toContain('delete Canary');
    expect(deletion.messageExpression).toContain('revertOnDeletion');
    for (const v of [removed, skip, target, deletion]) {
      expect(v.reason).toBe('Forbidden');
      expect(v.messageExpression).toContain('request.userInfo.username');
    }
  });

  test('can be turned off with the approvers policy', () => {
    expect(off.filter((o) => o.metadata.name === KEEP_GATE)).toEqual([]);
  });
});

const KEEP_PRIMARY = 'greenlight-gate-keep-primary';
const FLAGGER = 'system:serviceaccount:flagger-system:flagger';
const COLLECTOR = 'system:serviceaccount:kube-system:generic-garbage-collector';

describe('the greenlight-gate chart’s keep-primary policy', () => {
  test('judges every update and delete of a Deployment (Flagger creates the primary), refusing when its rules cannot be evaluated', () => {
    const spec = policy(both, KEEP_PRIMARY);
    expect(spec.failurePolicy).toBe('Fail');
    // deployments only: deployments/scale (an HPA) and deployments/status never match.
    expect(spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ['apps'],
        apiVersions: ['*'],
        operations: ['UPDATE', 'DELETE'],
        resources: ['deployments'],
      },
    ]);
    expect(pick(both, 'ValidatingAdmissionPolicyBinding', KEEP_PRIMARY).spec).toEqual({
      policyName: KEEP_PRIMARY,
      validationActions: ['Deny'],
    });
    expect(pick(namespaced, 'ValidatingAdmissionPolicyBinding', KEEP_PRIMARY).spec).toMatchObject({
      matchResources: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openfaas-fn' } },
      },
    });
  });

  test('guards a Deployment a Canary controls, as Flagger writes its primary’s ownerReference', () => {
    const flat = (name: string) =>
      (variable(both, name, KEEP_PRIMARY) as string).replace(/\s+/g, ' ');
    expect(flat('controllers')).toBe(
      "has(oldObject.metadata.ownerReferences) ? oldObject.metadata.ownerReferences.filter(r, r.kind == 'Canary' && r.apiVersion.startsWith('flagger.app/') && has(r.controller) && r.controller) : []",
    );
    expect(flat('guarded')).toBe('size(variables.controllers) > 0');
    // The same Canary (uid and name), still the controller: anything else drops the guard.
    expect(flat('ownerDropped')).toContain('r.uid == o.uid && r.name == o.name');
    expect(flat('ownerDropped')).toMatch(/^object != null && /);
    expect(flat('templateChanged')).toBe(
      'object != null && object.spec.template != oldObject.spec.template',
    );
  });

  test('lets only Flagger and the approvers change the pod template, and them and the garbage collector delete it or drop its ownerReference', () => {
    const rules = policy(both, KEEP_PRIMARY).validations.map((v) =>
      v.expression.replace(/\s+/g, ' '),
    );
    expect(rules).toEqual([
      '!variables.guarded || !variables.templateChanged || variables.mayPromote',
      '!variables.guarded || !variables.ownerDropped || variables.mayPromote || variables.isCollector',
      "request.operation != 'DELETE' || !variables.guarded || variables.mayPromote || variables.isCollector || variables.namespaceEnding",
    ]);
    const list = (name: string) => JSON.parse(variable(both, name, KEEP_PRIMARY) as string);
    expect(list('flaggerUsernames')).toEqual([FLAGGER]);
    expect(list('collectorUsernames')).toEqual([COLLECTOR]);
    expect(list('approverUsernames')).toEqual([APPROVE, BACKSTAGE]);
    expect(list('approverGroups')).toEqual(['sre']);
    const mayPromote = (variable(both, 'mayPromote', KEEP_PRIMARY) as string).replace(/\s+/g, ' ');
    expect(mayPromote).toContain('request.userInfo.username in variables.flaggerUsernames');
    expect(mayPromote).toContain('request.userInfo.username in variables.approverUsernames');
  });

  test('takes Flagger’s and the garbage collector’s usernames from values', async () => {
    const objects = await render(
      'greenlight-gate',
      approvers(
        { usernames: [APPROVE] },
        {
          admissionPolicy: {
            flagger: { usernames: ['system:serviceaccount:linkerd:flagger'] },
            garbageCollector: { usernames: ['system:kube-controller-manager'] },
          },
        },
      ),
      NS,
    );
    const list = (name: string) => JSON.parse(variable(objects, name, KEEP_PRIMARY) as string);
    expect(list('flaggerUsernames')).toEqual(['system:serviceaccount:linkerd:flagger']);
    expect(list('collectorUsernames')).toEqual(['system:kube-controller-manager']);
  });

  test('refuses to install without Flagger’s username, saying how to fix it', async () => {
    const result = await template(
      'greenlight-gate',
      approvers({ usernames: [APPROVE] }, { admissionPolicy: { flagger: { usernames: [] } } }),
      NS,
    );
    expect(result.ok).toBe(false);
    expect(result.error).toContain('admissionPolicy.flagger.usernames is empty');
    expect(result.error).toContain('system:serviceaccount:flagger-system:flagger');
    expect(result.error).toContain('admissionPolicy.enabled=false');
  });

  test('refuses with a message naming the policy, the Deployment, its Canary and who may', () => {
    const validations = policy(both, KEEP_PRIMARY).validations;
    for (const v of validations) {
      for (const text of [v.message, v.messageExpression]) {
        expect(text).toContain(KEEP_PRIMARY);
        expect(text).toContain(
          `only Flagger (${FLAGGER}) and its approvers (users ${APPROVE}, ${BACKSTAGE}; groups sre) may`,
        );
      }
      expect(v.reason).toBe('Forbidden');
      expect(v.messageExpression).toContain('request.userInfo.username');
      expect(v.messageExpression).toContain('variables.canary');
    }
    const [template, owner, deletion] = validations as [Validation, Validation, Validation];
    expect(template.messageExpression).toContain('change spec.template of Deployment');
    expect(template.messageExpression).toContain('Change the target Deployment instead');
    expect(owner.messageExpression).toContain('remove or change the controller ownerReference');
    expect(deletion.messageExpression).toContain('Have an approver delete the Canary');
  });

  test('can be turned off with the other policies', () => {
    expect(off.filter((o) => o.metadata.name === KEEP_PRIMARY)).toEqual([]);
  });
});

const REQUIRE_GATE = 'greenlight-gate-require-gate';

describe('the greenlight-gate chart’s require-gate policy', () => {
  test('judges every create and update of a Canary in namespaces labelled greenlight.dev/approval=required, refusing when its rules cannot be evaluated', () => {
    const spec = policy(both, REQUIRE_GATE);
    expect(spec.failurePolicy).toBe('Fail');
    expect(spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ['flagger.app'],
        apiVersions: ['*'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['canaries'],
      },
    ]);
    // The label is the whole scope: no list of namespaces in values.
    expect(pick(both, 'ValidatingAdmissionPolicyBinding', REQUIRE_GATE).spec).toEqual({
      policyName: REQUIRE_GATE,
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: { matchLabels: { 'greenlight.dev/approval': 'required' } },
      },
    });
    // With watchNamespace, that namespace and the label (a selector's labels all must match).
    expect(pick(namespaced, 'ValidatingAdmissionPolicyBinding', REQUIRE_GATE).spec).toMatchObject({
      matchResources: {
        namespaceSelector: {
          matchLabels: {
            'greenlight.dev/approval': 'required',
            'kubernetes.io/metadata.name': 'openfaas-fn',
          },
        },
      },
    });
  });

  test('knows the gate by the same URL rule as the keep-gate policy, for any port, cluster domain and other URLs', async () => {
    const custom = await render(
      'greenlight-gate',
      approvers(
        { usernames: [APPROVE] },
        {
          port: 9000,
          clusterDomain: 'corp.internal',
          admissionPolicy: { gateUrls: ['https://gate.example.com/greenlight/'] },
        },
      ),
      { namespace: 'delivery', release: 'greenlight-gate' },
    );
    for (const objects of [both, custom])
      expect(variable(objects, 'gate', REQUIRE_GATE)).toBe(variable(objects, 'gate', KEEP_GATE));
    const flat = (name: string) =>
      (variable(both, name, REQUIRE_GATE) as string).replace(/\s+/g, ' ');
    expect(flat('wired')).toBe(
      "variables.hooks.exists(h, has(h.type) && h.type == 'confirm-promotion' && string(h.url).matches(variables.gate + 'promotion$'))",
    );
    expect(flat('hooks')).toContain('object.spec.analysis.webhooks');
    // The Canary `greenlight render --approval` writes is wired.
    const [promotion] = renderedWebhooks();
    expect(gatePattern(both, 'promotion').test(promotion!.url)).toBe(true);
  });

  test('refuses a non-approver’s Canary without a confirm-promotion webhook to the gate or with skipAnalysis, leaving approvers, spec-unchanged updates and keep-gate’s refusals alone', () => {
    const rules = policy(both, REQUIRE_GATE).validations.map((v) =>
      v.expression.replace(/\s+/g, ' '),
    );
    expect(rules).toEqual([
      'variables.wired || variables.exempt',
      '!variables.skips || variables.exempt',
    ]);
    const flat = (name: string) =>
      (variable(both, name, REQUIRE_GATE) as string).replace(/\s+/g, ' ');
    expect(flat('exempt')).toBe(
      'variables.isApprover || variables.specUnchanged || variables.leftToKeepGate',
    );
    expect(flat('skips')).toBe('has(object.spec.skipAnalysis) && object.spec.skipAnalysis == true');
    // oldObject is null on CREATE: nothing is exempt there but an approver.
    expect(flat('specUnchanged')).toBe('oldObject != null && object.spec == oldObject.spec');
    expect(flat('leftToKeepGate')).toMatch(/^oldObject != null && /);
    // Exactly what keep-gate refuses: the stored confirm-promotion removed, skipAnalysis turned on.
    expect(flat('leftToKeepGate')).toContain('(variables.wiredBefore && !variables.wired)');
    expect(flat('leftToKeepGate')).toContain(
      'variables.gatedBefore && variables.skips && !variables.skippedBefore',
    );
    expect(JSON.parse(variable(both, 'approverUsernames', REQUIRE_GATE) as string)).toEqual([
      APPROVE,
      BACKSTAGE,
    ]);
    expect(JSON.parse(variable(both, 'approverGroups', REQUIRE_GATE) as string)).toEqual(['sre']);
  });

  test('refuses with a message naming the policy, the label, what to add and who may do otherwise', () => {
    const [wired, skip] = policy(both, REQUIRE_GATE).validations as [Validation, Validation];
    for (const v of [wired, skip])
      for (const text of [v.message, v.messageExpression]) {
        expect(text).toContain(REQUIRE_GATE);
        expect(text).toContain('greenlight.dev/approval=required');
        expect(text).toContain(`approvers (users ${APPROVE}, ${BACKSTAGE}; groups sre)`);
      }
    for (const text of [wired.message, wired.messageExpression])
      expect(text).toContain(
        'confirm-promotion webhook to http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/promotion',
      );
    expect(wired.messageExpression).toContain('approval: true in the action');
    expect(skip.messageExpression).toContain('Leave skipAnalysis false');
    for (const v of [wired, skip]) {
      expect(v.reason).toBe('Forbidden');
      expect(v.messageExpression).toContain('request.userInfo.username');
      expect(v.messageExpression).toContain('request.namespace');
    }
  });

  test('can be turned off with the other policies', () => {
    expect(off.filter((o) => o.metadata.name === REQUIRE_GATE)).toEqual([]);
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
      'another gate URL with a query, which no webhook URL would match',
      approvers({ usernames: [APPROVE] }, { admissionPolicy: { gateUrls: ['http://gate?x=1'] } }),
      "at '/admissionPolicy/gateUrls/0'",
    ],
    [
      'another gate URL that is no URL',
      approvers({ usernames: [APPROVE] }, { admissionPolicy: { gateUrls: ['gate.example.com'] } }),
      "at '/admissionPolicy/gateUrls/0'",
    ],
    [
      'Flagger’s username given as one string',
      approvers(
        { usernames: [APPROVE] },
        { admissionPolicy: { flagger: { usernames: 'flagger' } } },
      ),
      "at '/admissionPolicy/flagger/usernames': got string, want array",
    ],
    [
      'a misspelt garbage collector key',
      approvers({ usernames: [APPROVE] }, { admissionPolicy: { garbageCollector: { users: [] } } }),
      "additional properties 'users' not allowed",
    ],
    [
      'a cluster domain with a space in it',
      approvers({ usernames: [APPROVE] }, { clusterDomain: 'cluster local' }),
      "at '/clusterDomain'",
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
