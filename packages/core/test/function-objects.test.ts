// The Deployment and Service a new function gets, against what faas-netes CE makes for the
// same deploy request (pkg/handlers/deploy.go, pkg/k8s/{probes,secrets,securityContext}.go,
// the controller's defaults in main.go). The expected objects are written out by hand from
// that code, as the API would store them (Go's omitempty drops empty maps).
import { describe, expect, test } from '@jest/globals';
import { renderFunctionObjects, type StackFunction } from '../src/index.ts';

const fn = (extra: Partial<StackFunction> = {}): StackFunction => ({
  name: 'chatbot',
  lang: 'dockerfile',
  handler: './chatbot',
  image: 'ghcr.io/acme/chatbot:latest',
  ...extra,
});
const target = { namespace: 'openfaas-fn', image: 'ghcr.io/acme/chatbot:abc123' };

const probe = (path = '/_/health') => ({
  httpGet: { path, port: 8080 },
  initialDelaySeconds: 2,
  timeoutSeconds: 1,
  periodSeconds: 2,
  successThreshold: 1,
  failureThreshold: 3,
});

// What faas-netes makes for `faas-cli deploy` of a function with nothing but an image.
const minimalDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'chatbot',
    namespace: 'openfaas-fn',
    labels: { faas_function: 'chatbot' },
    annotations: { 'prometheus.io.scrape': 'false' },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { faas_function: 'chatbot' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    revisionHistoryLimit: 10,
    template: {
      metadata: {
        name: 'chatbot',
        labels: { faas_function: 'chatbot' },
        annotations: { 'prometheus.io.scrape': 'false' },
      },
      spec: {
        containers: [
          {
            name: 'chatbot',
            image: 'ghcr.io/acme/chatbot:abc123',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            resources: {},
            imagePullPolicy: 'Always',
            livenessProbe: probe(),
            readinessProbe: probe(),
            securityContext: { readOnlyRootFilesystem: false },
          },
        ],
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
      },
    },
  },
};

describe('renderFunctionObjects, as faas-netes makes a function', () => {
  test('a function with only an image: one replica, selected by faas_function, probed on /_/health', () => {
    expect(renderFunctionObjects(fn(), target).deployment).toEqual(minimalDeployment);
  });

  test('the Service selects faas_function on port 8080, with the same annotations', () => {
    expect(renderFunctionObjects(fn(), target).service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'chatbot',
        namespace: 'openfaas-fn',
        annotations: { 'prometheus.io.scrape': 'false' },
      },
      spec: {
        type: 'ClusterIP',
        selector: { faas_function: 'chatbot' },
        ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 }],
      },
    });
  });

  const full = fn({
    environment: { ZED: 'last', BOT_COLOR: 'blue' },
    fprocess: 'node index.js',
    secrets: ['slack-token', 'openai-key'],
    labels: { team: 'bots', 'com.openfaas.scale.min': '2' },
    annotations: { 'prometheus.io.scrape': 'true', 'linkerd.io/inject': 'enabled' },
    limits: { memory: '128Mi', cpu: '200m' },
    requests: { memory: '32Mi' },
    readonly_root_filesystem: true,
  });
  const { deployment, service } = renderFunctionObjects(full, {
    ...target,
    annotations: { 'greenlight.dev/revision': 'abc123' },
  });
  const pod = deployment.spec!.template;
  const container = pod.spec!.containers[0]!;

  test.each([
    [
      'environment with fprocess, sorted by name',
      container.env,
      [
        { name: 'BOT_COLOR', value: 'blue' },
        { name: 'ZED', value: 'last' },
        { name: 'fprocess', value: 'node index.js' },
      ],
    ],
    [
      'limits and requests as given',
      container.resources,
      {
        limits: { memory: '128Mi', cpu: '200m' },
        requests: { memory: '32Mi' },
      },
    ],
    ['replicas from com.openfaas.scale.min', deployment.spec!.replicas, 2],
    [
      'stack labels on the pod template, not on the Deployment',
      [deployment.metadata!.labels, pod.metadata!.labels],
      [
        { faas_function: 'chatbot' },
        { faas_function: 'chatbot', team: 'bots', 'com.openfaas.scale.min': '2' },
      ],
    ],
    [
      'stack annotations (a scrape setting kept) and the revision on all three objects',
      [deployment.metadata!.annotations, pod.metadata!.annotations, service.metadata!.annotations],
      Array(3).fill({
        'prometheus.io.scrape': 'true',
        'linkerd.io/inject': 'enabled',
        'greenlight.dev/revision': 'abc123',
      }),
    ],
    [
      'a read-only root with a writable /tmp, then the secrets at /var/openfaas/secrets',
      [pod.spec!.volumes, container.volumeMounts],
      [
        [
          { name: 'temp', emptyDir: {} },
          {
            name: 'chatbot-projected-secrets',
            projected: {
              sources: [{ secret: { name: 'slack-token' } }, { secret: { name: 'openai-key' } }],
            },
          },
        ],
        [
          { name: 'temp', mountPath: '/tmp', readOnly: false },
          { name: 'chatbot-projected-secrets', readOnly: true, mountPath: '/var/openfaas/secrets' },
        ],
      ],
    ],
    [
      'readOnlyRootFilesystem from readonly_root_filesystem',
      container.securityContext,
      { readOnlyRootFilesystem: true },
    ],
  ])('%s', (_, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  test.each([
    ['0', 1],
    ['-1', 1],
    ['three', 1],
    [' 3', 1],
    ['+3', 3],
  ])('com.openfaas.scale.min %j gives %d replicas, as strconv.Atoi reads it', (min, replicas) => {
    const labels = { 'com.openfaas.scale.min': min };
    expect(renderFunctionObjects(fn({ labels }), target).deployment.spec!.replicas).toBe(replicas);
  });

  test('probes follow com.openfaas.health.http.path', () => {
    const annotations = { 'com.openfaas.health.http.path': '/healthz' };
    const rendered = renderFunctionObjects(fn({ annotations }), target).deployment;
    const only = rendered.spec!.template.spec!.containers[0]!;
    expect([only.readinessProbe, only.livenessProbe]).toEqual([
      probe('/healthz'),
      probe('/healthz'),
    ]);
  });
});
