import { beforeAll, describe, expect, test } from '@jest/globals';
import { kinds, lint, pick, render, type K8sObject } from './render.ts';

const IMAGE = { image: { repository: 'ghcr.io/acme/chatbot', tag: '3f2c1ab' } };
const NS = { namespace: 'openfaas-fn', release: 'chatbot' };

interface PodSpec {
  containers: {
    image: string;
    ports: { containerPort: number }[];
    env?: { name: string; value: string }[];
    livenessProbe: { httpGet: { path: string } };
    readinessProbe: { httpGet: { path: string } };
  }[];
}
interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: PodSpec;
  };
}
const spec = <T>(object: K8sObject) => object.spec as T;

const lintCases: [string, object][] = [
  ['defaults with an image', IMAGE],
  [
    'gatewayapi, blue-green with probes, approval',
    {
      ...IMAGE,
      provider: 'gatewayapi',
      strategy: 'blue-green',
      approval: { enabled: true },
      // helm lint reports a template's fail only as INFO: blue-green renders only with probes.
      probes: {
        conversations: [{ name: 'greets', turns: [{ webchat: 'hi', expect: { contains: 'hi' } }] }],
      },
    },
  ],
  [
    'step weights and autoscaling',
    { ...IMAGE, analysis: { stepWeights: [5, 10, 25, 50] }, autoscaling: { enabled: true } },
  ],
  [
    'faas-netes owns the workload',
    { ...IMAGE, openfaas: { enabled: true, createWorkload: false } },
  ],
  [
    'plain Kubernetes labels, pinned digest',
    {
      ...IMAGE,
      openfaas: { enabled: false },
      image: { repository: 'ghcr.io/acme/chatbot', digest: `sha256:${'a'.repeat(64)}` },
    },
  ],
];

let defaults: K8sObject[];
let pinned: K8sObject[];
let autoscaled: K8sObject[];
let faasNetes: K8sObject[];
let gatewayapi: K8sObject[];
let lints: { code: number; stdout: string; stderr: string }[];
beforeAll(async () => {
  [defaults, pinned, autoscaled, faasNetes, gatewayapi, lints] = await Promise.all([
    render(
      'chatbot',
      { ...IMAGE, revision: '3f2c1ab9d', env: { BOT_COLOR: 'green', WORKERS: 2 } },
      NS,
    ),
    render(
      'chatbot',
      {
        image: { repository: 'ghcr.io/acme/chatbot', digest: `sha256:${'b'.repeat(64)}` },
        openfaas: { enabled: false },
      },
      NS,
    ),
    render(
      'chatbot',
      { ...IMAGE, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6 } },
      NS,
    ),
    render(
      'chatbot',
      { ...IMAGE, openfaas: { createWorkload: false }, provider: 'gatewayapi' },
      NS,
    ),
    render('chatbot', { ...IMAGE, provider: 'gatewayapi' }, NS),
    Promise.all(lintCases.map(([, values]) => lint('chatbot', values))),
  ]);
});

describe('the chatbot chart', () => {
  test.each(lintCases.map(([title], i) => [title, i] as const))(
    'passes helm lint --strict: %s',
    (_title, i) => {
      const result = lints[i] as { code: number; stdout: string; stderr: string };
      expect({ code: result.code, errors: result.stdout.match(/\[(ERROR|WARNING)\].*/g) }).toEqual({
        code: 0,
        errors: null,
      });
    },
  );

  test('renders a Deployment, its Service and the Canary, and by default (gatewayapi) MetricTemplates', () => {
    expect(kinds(defaults)).toEqual(kinds(gatewayapi));
    expect(kinds(gatewayapi)).toEqual([
      'Canary',
      'Deployment',
      'MetricTemplate',
      'MetricTemplate',
      'Service',
    ]);
  });

  test('labels the function faas_function as faas-netes does, and selects its pods by it', () => {
    const deployment = pick(defaults, 'Deployment', 'chatbot');
    const { selector, template } = spec<DeploymentSpec>(deployment);
    expect(deployment.metadata.labels?.faas_function).toBe('chatbot');
    expect(selector.matchLabels).toEqual({ faas_function: 'chatbot' });
    expect(template.metadata.labels).toEqual({ faas_function: 'chatbot' });
  });

  test('uses app=<name> when OpenFaaS labels are off (Flagger selects by app by default)', () => {
    const { selector } = spec<DeploymentSpec>(pick(pinned, 'Deployment'));
    expect(selector.matchLabels).toEqual({ app: 'chatbot' });
    expect(spec<{ selector: object }>(pick(pinned, 'Service')).selector).toEqual({
      app: 'chatbot-primary',
    });
  });

  test('meshes the pods and stamps the revision the gate approves', () => {
    const { template } = spec<DeploymentSpec>(pick(defaults, 'Deployment'));
    expect(template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
      'greenlight.dev/revision': '3f2c1ab9d',
    });
  });

  test('runs the image on port 8080 with the watchdog health path and the given environment', () => {
    const [container] = spec<DeploymentSpec>(pick(defaults, 'Deployment')).template.spec.containers;
    expect(container?.image).toBe('ghcr.io/acme/chatbot:3f2c1ab');
    expect(container?.ports.map((p) => p.containerPort)).toEqual([8080]);
    expect(container?.livenessProbe.httpGet.path).toBe('/_/health');
    expect(container?.readinessProbe.httpGet.path).toBe('/_/health');
    expect(container?.env).toEqual([
      { name: 'BOT_COLOR', value: 'green' },
      { name: 'WORKERS', value: '2' },
    ]);
  });

  test('pins the image by digest when one is given', () => {
    const [container] = spec<DeploymentSpec>(pick(pinned, 'Deployment')).template.spec.containers;
    expect(container?.image).toBe(`ghcr.io/acme/chatbot@sha256:${'b'.repeat(64)}`);
  });

  test('writes the apex Service as Flagger reconciles it: port 8080 to the primary pods', () => {
    expect(pick(defaults, 'Service', 'chatbot').spec).toEqual({
      type: 'ClusterIP',
      selector: { faas_function: 'chatbot-primary' },
      ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 }],
    });
  });

  test('sets replicas on install only: an upgrade leaves them to Flagger, which owns them under server-side apply', async () => {
    expect(spec<DeploymentSpec>(pick(defaults, 'Deployment')).replicas).toBe(1);
    const upgraded = await render('chatbot', IMAGE, { ...NS, upgrade: true });
    expect(spec<DeploymentSpec>(pick(upgraded, 'Deployment')).replicas).toBeUndefined();
  });

  test('with autoscaling: an HPA on the Deployment, no fixed replicas, and the Canary scales both', () => {
    const hpa = pick(autoscaled, 'HorizontalPodAutoscaler', 'chatbot');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'chatbot' },
      minReplicas: 2,
      maxReplicas: 6,
    });
    expect(spec<DeploymentSpec>(pick(autoscaled, 'Deployment')).replicas).toBeUndefined();
    expect(spec<{ autoscalerRef: object }>(pick(autoscaled, 'Canary')).autoscalerRef).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      name: 'chatbot',
    });
    expect(kinds(defaults)).not.toContain('HorizontalPodAutoscaler');
  });

  test('renders only the Canary and MetricTemplates when faas-netes owns the workload', () => {
    expect(kinds(faasNetes)).toEqual(['Canary', 'MetricTemplate', 'MetricTemplate']);
  });
});
