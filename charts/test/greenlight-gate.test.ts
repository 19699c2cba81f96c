import { beforeAll, describe, expect, test } from '@jest/globals';
import { kinds, lint, pick, render, type K8sObject } from './render.ts';

const NS = { namespace: 'greenlight', release: 'greenlight-gate' };
/** The chart renders only once someone may approve (greenlight-gate-access.test.ts). */
const APPROVER = 'system:serviceaccount:greenlight:greenlight-approve';
const base = (values: object = {}) => ({
  ...values,
  admissionPolicy: { approvers: { usernames: [APPROVER] } },
});

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Container {
  args: string[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
}
interface GateDeployment {
  replicas: number;
  template: {
    metadata: { annotations: Record<string, string> };
    spec: {
      serviceAccountName: string;
      securityContext: Record<string, unknown>;
      containers: Container[];
    };
  };
}

const lintCases: [string, object][] = [
  ['defaults and one approver', base()],
  [
    'one namespace, ServiceMonitor, pinned digest',
    base({
      watchNamespace: 'openfaas-fn',
      serviceMonitor: { enabled: true },
      image: { repository: 'registry.local/gate', digest: `sha256:${'c'.repeat(64)}` },
    }),
  ],
  [
    'three replicas, no PDB, no admission policy, no NetworkPolicy',
    {
      replicas: 3,
      podDisruptionBudget: { enabled: false },
      admissionPolicy: { enabled: false },
      networkPolicy: { enabled: false },
    },
  ],
];

let cluster: K8sObject[];
let namespaced: K8sObject[];
let monitored: K8sObject[];
let lints: { code: number; stdout: string }[];
beforeAll(async () => {
  [cluster, namespaced, monitored, lints] = await Promise.all([
    render('greenlight-gate', base(), NS),
    render('greenlight-gate', base({ watchNamespace: 'openfaas-fn' }), NS),
    render(
      'greenlight-gate',
      base({ serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } } }),
      NS,
    ),
    Promise.all(lintCases.map(([, values]) => lint('greenlight-gate', values))),
  ]);
});

const deployment = (objects: K8sObject[]) =>
  pick(objects, 'Deployment', GATE).spec as GateDeployment;
const container = (objects: K8sObject[]) =>
  deployment(objects).template.spec.containers[0] as Container;

/** The gate's own objects; the prober's are greenlight-probe (greenlight-gate-probe.test.ts). */
const GATE = 'greenlight-gate';

const LEAST_PRIVILEGE: Rule[] = [
  { apiGroups: ['flagger.app'], resources: ['canaries'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

describe('the greenlight-gate chart', () => {
  test.each(lintCases.map(([title], i) => [title, i] as const))(
    'passes helm lint --strict: %s',
    (_title, i) => {
      const result = lints[i] as { code: number; stdout: string };
      expect({ code: result.code, errors: result.stdout.match(/\[(ERROR|WARNING)\].*/g) }).toEqual({
        code: 0,
        errors: null,
      });
    },
  );

  test('renders the gate and the prober, each with its Service, ServiceAccount, RBAC and NetworkPolicy, the gate’s PodDisruptionBudget and admission policy', () => {
    expect(kinds(cluster)).toEqual([
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      'Deployment',
      'Deployment',
      'NetworkPolicy',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'Service',
      'ServiceAccount',
      'ServiceAccount',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingAdmissionPolicyBinding',
    ]);
  });

  test('is named so the default gate URL of the CLI, the action and the chatbot chart reaches it', () => {
    const service = pick(cluster, 'Service', GATE);
    expect(
      `http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:8080`,
    ).toBe('http://greenlight-gate.greenlight.svc.cluster.local:8080');
    expect(service.spec).toMatchObject({ ports: [{ port: 8080, targetPort: 'http' }] });
  });

  test('runs two replicas that a drain cannot take down together', () => {
    expect(deployment(cluster).replicas).toBe(2);
    expect(pick(cluster, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1 });
  });

  test('probes liveness on /healthz and readiness on /readyz', () => {
    expect(container(cluster).livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container(cluster).readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  test('runs as non-root with a read-only root filesystem and no capabilities', () => {
    expect(deployment(cluster).template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(container(cluster).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('is meshed by Linkerd', () => {
    expect(deployment(cluster).template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
    });
  });

  test('may read Canaries and Deployments and create Events, and nothing else', () => {
    expect(pick(cluster, 'ClusterRole', GATE).rules).toEqual(LEAST_PRIVILEGE);
    const binding = pick(cluster, 'ClusterRoleBinding', GATE);
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'greenlight-gate', namespace: 'greenlight' },
    ]);
    expect(deployment(cluster).template.spec.serviceAccountName).toBe('greenlight-gate');
  });

  test('can never patch, update or delete a Canary, so it cannot approve anything itself', () => {
    for (const objects of [cluster, namespaced]) {
      const role = objects.find((o) => o.kind === 'ClusterRole' || o.kind === 'Role') as K8sObject;
      const canaryVerbs = (role.rules as Rule[])
        .filter((r) => r.resources.includes('canaries') || r.resources.includes('*'))
        .flatMap((r) => r.verbs);
      for (const verb of ['patch', 'update', 'delete', 'create', '*'])
        expect(canaryVerbs).not.toContain(verb);
    }
  });

  test('with watchNamespace: a Role there instead of a ClusterRole, and the gate told to watch only it', () => {
    expect(kinds(namespaced)).toEqual(expect.arrayContaining(['Role', 'RoleBinding']));
    expect(kinds(namespaced)).not.toContain('ClusterRole');
    const role = pick(namespaced, 'Role', GATE);
    expect(role.metadata.namespace).toBe('openfaas-fn');
    expect(role.rules).toEqual(LEAST_PRIVILEGE);
    expect(pick(namespaced, 'RoleBinding', GATE).metadata.namespace).toBe('openfaas-fn');
    expect(container(namespaced).args).toEqual(['--port=8080', '--namespace=openfaas-fn']);
  });

  test('renders a ServiceMonitor for /metrics only when asked', () => {
    expect(kinds(cluster)).not.toContain('ServiceMonitor');
    const monitor = pick(monitored, 'ServiceMonitor');
    expect(monitor.metadata.labels?.release).toBe('kube-prometheus');
    expect(monitor.spec).toMatchObject({ endpoints: [{ port: 'http', path: '/metrics' }] });
  });
});
