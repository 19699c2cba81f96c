// greenlight-probe as the greenlight-gate chart renders it: its own Deployment (the gate's
// image, the probe's command), Service, ServiceAccount, least-privilege RBAC (Secrets only by
// name) and a NetworkPolicy that admits Flagger alone.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { DEFAULT_PROBE_URL } from '@greenlight/core';
import { kinds, lint, pick, render, template, type K8sObject } from './render.ts';

const NS = { namespace: 'greenlight', release: 'greenlight-gate' };
const base = (values: object = {}) => ({
  ...values,
  admissionPolicy: { approvers: { usernames: ['system:serviceaccount:greenlight:approve'] } },
});
const PROBE = 'greenlight-probe';
const SECRETS = [
  { namespace: 'openfaas-fn', name: 'slack-signing-secret' },
  { namespace: 'openfaas-fn', name: 'helpdesk-signing-secret' },
  { namespace: 'bots', name: 'slack' },
];

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Spec {
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      serviceAccountName: string;
      containers: { image: string; command?: string[]; args: string[] }[];
    };
  };
}

let defaults: K8sObject[];
let withSecrets: K8sObject[];
let namespaced: K8sObject[];
let off: K8sObject[];
beforeAll(async () => {
  [defaults, withSecrets, namespaced, off] = await Promise.all([
    render('greenlight-gate', base(), NS),
    render('greenlight-gate', base({ probe: { signingSecrets: SECRETS } }), NS),
    render(
      'greenlight-gate',
      base({ watchNamespace: 'openfaas-fn', probe: { signingSecrets: SECRETS.slice(0, 1) } }),
      NS,
    ),
    render('greenlight-gate', base({ probe: { enabled: false } }), NS),
  ]);
});

const spec = (objects: K8sObject[], name: string) => pick(objects, 'Deployment', name).spec as Spec;
const roles = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
const rulesOf = (role: K8sObject) => role.rules as Rule[];

describe('the greenlight-gate chart’s prober', () => {
  test('runs the gate’s image with the probe’s command, under its own ServiceAccount', () => {
    const probe = spec(defaults, PROBE).template.spec;
    const gate = spec(defaults, 'greenlight-gate').template.spec;
    expect(probe.containers[0]).toMatchObject({
      image: gate.containers[0]!.image,
      command: ['node', 'gate/bin/greenlight-probe.js'],
      args: ['--port=8080', '--request-timeout=5'],
    });
    expect(probe.serviceAccountName).toBe(PROBE);
    expect(pick(defaults, 'ServiceAccount', PROBE).metadata.namespace).toBe('greenlight');
    expect(gate.serviceAccountName).not.toBe(PROBE);
  });

  test('is named so the default probe URL of the CLI, the action and the chatbot chart reaches it', () => {
    const service = pick(defaults, 'Service', PROBE);
    expect(
      `http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:8080`,
    ).toBe(DEFAULT_PROBE_URL);
    expect(service.spec).toMatchObject({ ports: [{ port: 8080, targetPort: 'http' }] });
  });

  test('its pods and the gate’s never select each other', () => {
    const probePods = spec(defaults, PROBE).template.metadata.labels;
    const gatePods = spec(defaults, 'greenlight-gate').template.metadata.labels;
    const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    const selector = (name: string) =>
      (pick(defaults, 'Service', name).spec as { selector: Record<string, string> }).selector;
    expect(selects(selector('greenlight-gate'), probePods)).toBe(false);
    expect(selects(selector(PROBE), gatePods)).toBe(false);
    expect(selects(selector(PROBE), probePods)).toBe(true);
  });

  test('may get Canaries and Deployments and create Events, and read no Secret unless listed', () => {
    expect(rulesOf(pick(defaults, 'ClusterRole', PROBE))).toEqual([
      { apiGroups: ['flagger.app'], resources: ['canaries'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ]);
    expect(pick(defaults, 'ClusterRoleBinding', PROBE).subjects).toEqual([
      { kind: 'ServiceAccount', name: PROBE, namespace: 'greenlight' },
    ]);
    const secretRules = roles(defaults).flatMap(rulesOf);
    expect(secretRules.filter((r) => r.resources.includes('secrets'))).toEqual([]);
  });

  test('gets the listed signing Secrets by name, in their own namespaces, and nothing more', () => {
    const secretRoles = roles(withSecrets).filter((role) =>
      rulesOf(role).some((r) => r.resources.includes('secrets')),
    );
    expect(secretRoles.map((role) => [role.kind, role.metadata.namespace, rulesOf(role)])).toEqual([
      [
        'Role',
        'bots',
        [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['slack'], verbs: ['get'] }],
      ],
      [
        'Role',
        'openfaas-fn',
        [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: ['helpdesk-signing-secret', 'slack-signing-secret'],
            verbs: ['get'],
          },
        ],
      ],
    ]);
    for (const namespace of ['bots', 'openfaas-fn']) {
      const binding = withSecrets.find(
        (o) =>
          o.kind === 'RoleBinding' &&
          o.metadata.namespace === namespace &&
          o.metadata.name === `${PROBE}-signing-secrets`,
      );
      expect(binding).toMatchObject({
        roleRef: { kind: 'Role', name: `${PROBE}-signing-secrets` },
        subjects: [{ kind: 'ServiceAccount', name: PROBE, namespace: 'greenlight' }],
      });
    }
  });

  test('no rule of the chart grants Secrets without resourceNames, or any verb but get on them', () => {
    for (const objects of [defaults, withSecrets, namespaced]) {
      for (const rule of roles(objects).flatMap(rulesOf)) {
        if (!rule.resources.includes('secrets') && !rule.resources.includes('*')) continue;
        expect(rule.resourceNames?.length).toBeGreaterThan(0);
        expect(rule.verbs).toEqual(['get']);
      }
    }
    // The gate itself reads no Secret at all.
    const gateRules = roles(withSecrets)
      .filter((role) => role.metadata.name === 'greenlight-gate')
      .flatMap(rulesOf);
    expect(gateRules.some((r) => r.resources.includes('secrets'))).toBe(false);
  });

  test('with watchNamespace: a Role in that namespace instead of a ClusterRole', () => {
    expect(
      roles(namespaced).map((r) => `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`),
    ).toEqual(
      expect.arrayContaining([
        `Role openfaas-fn/${PROBE}`,
        `Role openfaas-fn/${PROBE}-signing-secrets`,
      ]),
    );
    expect(namespaced.filter((o) => o.kind === 'ClusterRole')).toEqual([]);
  });

  test('admits only Flagger’s namespace, on the probe’s port and Linkerd’s proxy ports', () => {
    expect(pick(defaults, 'NetworkPolicy', PROBE).spec).toEqual({
      podSelector: { matchLabels: spec(defaults, PROBE).selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'flagger-system' },
              },
            },
          ],
          ports: [
            { protocol: 'TCP', port: 8080 },
            { protocol: 'TCP', port: 4143 },
            { protocol: 'TCP', port: 4191 },
          ],
        },
      ],
    });
  });

  test('can be turned off, leaving the gate as it was', () => {
    expect(off.filter((o) => o.metadata.name.startsWith(PROBE))).toEqual([]);
    expect(kinds(off)).toContain('Deployment');
  });

  test('passes helm lint --strict with signing secrets and a namespace', async () => {
    const result = await lint(
      'greenlight-gate',
      base({
        watchNamespace: 'openfaas-fn',
        probe: { signingSecrets: SECRETS, requestTimeout: 2 },
      }),
    );
    expect({ code: result.code, errors: result.stdout.match(/\[(ERROR|WARNING)\].*/g) }).toEqual({
      code: 0,
      errors: null,
    });
  });

  test.each([
    [
      'a signing Secret without its name',
      { signingSecrets: [{ namespace: 'openfaas-fn' }] },
      "/probe/signingSecrets/0': missing property 'name'",
    ],
    [
      'a namespace that is not a DNS label',
      { signingSecrets: [{ namespace: 'Bots', name: 's' }] },
      '/probe/signingSecrets/0/namespace',
    ],
    ['a request timeout of 0', { requestTimeout: 0 }, '/probe/requestTimeout'],
    ['an unknown key', { signingSecret: [] }, "additional properties 'signingSecret' not allowed"],
  ])('values.schema.json refuses %s', async (_title, probe, message) => {
    const result = await template('greenlight-gate', base({ probe }), NS);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(message);
  });
});
