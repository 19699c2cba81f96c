// A function's Deployment and Service as faas-netes CE makes them from a deploy request
// (openfaas/faas-netes pkg/handlers/deploy.go makeDeploymentSpec/makeServiceSpec,
// pkg/k8s/probes.go, secrets.go, securityContext.go; the controller's defaults in main.go and
// the chart's functions.httpProbe: true), so the kubernetes target can create a function on
// its first merge and Flagger initializes its Canary from it (docs/design.md, "OpenFaaS").
// Differences, on purpose:
// - secrets are projected whole: faas-netes reads each Secret to list its keys and to move
//   registry credentials to imagePullSecrets; this renders without reading any Secret (the
//   deploy credential need not read them), so a registry Secret is mounted, not pulled with;
// - the probe path follows `com.openfaas.health.http.path` as OpenFaaS Pro does (CE always
//   probes /_/health, the default here too).
import type {
  V1Deployment,
  V1EnvVar,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { StackFunction, StackResources } from '../stack/types.ts';

/** The label faas-netes selects a function's pods by; Flagger runs with it as selector. */
export const FAAS_FUNCTION_LABEL = 'faas_function';
/** The port the OpenFaaS watchdog listens on (faas-netes' RuntimeHTTPPort). */
export const FUNCTION_PORT = 8080;
export const HEALTH_PATH_ANNOTATION = 'com.openfaas.health.http.path';
const DEFAULT_HEALTH_PATH = '/_/health';
const MIN_REPLICAS_LABEL = 'com.openfaas.scale.min';
const SECRETS_PATH = '/var/openfaas/secrets';

export interface FunctionTarget {
  namespace: string;
  image: string;
  /** Added to the stack's annotations, as a deploy request's annotations (e.g. the revision). */
  annotations?: Record<string, string>;
}

export interface FunctionObjects {
  deployment: V1Deployment;
  service: V1Service;
}

export function renderFunctionObjects(fn: StackFunction, target: FunctionTarget): FunctionObjects {
  const name = fn.name;
  const selector = { [FAAS_FUNCTION_LABEL]: name };
  // faas-netes puts the same annotations on the Deployment, its pod template and the Service
  // (each object gets its own copy, so a caller may change one).
  const annotations: Record<string, string> = {
    'prometheus.io.scrape': 'false',
    ...fn.annotations,
    ...target.annotations,
  };
  const probe = () => ({
    httpGet: {
      path: annotations[HEALTH_PATH_ANNOTATION] ?? DEFAULT_HEALTH_PATH,
      port: FUNCTION_PORT,
    },
    initialDelaySeconds: 2,
    timeoutSeconds: 1,
    periodSeconds: 2,
    successThreshold: 1,
    failureThreshold: 3,
  });
  const env = envOf(fn);
  const readOnly = fn.readonly_root_filesystem ?? false;
  const { volumes, mounts } = volumesOf(fn, readOnly);
  const resources = {
    ...(quantities(fn.limits) ? { limits: quantities(fn.limits) } : {}),
    ...(quantities(fn.requests) ? { requests: quantities(fn.requests) } : {}),
  };

  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: target.namespace, labels: { ...selector }, annotations },
    spec: {
      replicas: minReplicas(fn.labels) ?? 1,
      selector: { matchLabels: { ...selector } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      revisionHistoryLimit: 10,
      template: {
        metadata: { name, labels: { ...selector, ...fn.labels }, annotations: { ...annotations } },
        spec: {
          containers: [
            {
              name,
              image: target.image,
              ports: [{ name: 'http', containerPort: FUNCTION_PORT, protocol: 'TCP' }],
              ...(env.length > 0 ? { env } : {}),
              resources,
              imagePullPolicy: 'Always',
              livenessProbe: probe(),
              readinessProbe: probe(),
              securityContext: { readOnlyRootFilesystem: readOnly },
              ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
            },
          ],
          ...(volumes.length > 0 ? { volumes } : {}),
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: target.namespace, annotations: { ...annotations } },
    spec: {
      type: 'ClusterIP',
      selector: { ...selector },
      ports: [{ name: 'http', protocol: 'TCP', port: FUNCTION_PORT, targetPort: FUNCTION_PORT }],
    },
  };
  return { deployment, service };
}

/** `fprocess` and the stack's environment, sorted by name as faas-netes sorts them. */
function envOf(fn: StackFunction): V1EnvVar[] {
  const env: V1EnvVar[] = Object.entries(fn.environment ?? {}).map(([name, value]) => ({
    name,
    value,
  }));
  if (fn.fprocess) env.push({ name: 'fprocess', value: fn.fprocess });
  return env.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A writable /tmp under a read-only root, then the secrets, in faas-netes' order. */
function volumesOf(
  fn: StackFunction,
  readOnly: boolean,
): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  if (readOnly) {
    volumes.push({ name: 'temp', emptyDir: {} });
    mounts.push({ name: 'temp', mountPath: '/tmp', readOnly: false });
  }
  const secrets = fn.secrets ?? [];
  if (secrets.length > 0) {
    const volume = `${fn.name}-projected-secrets`;
    volumes.push({
      name: volume,
      projected: { sources: secrets.map((name) => ({ secret: { name } })) },
    });
    mounts.push({ name: volume, readOnly: true, mountPath: SECRETS_PATH });
  }
  return { volumes, mounts };
}

function quantities(resources: StackResources | undefined): Record<string, string> | undefined {
  const list = {
    ...(resources?.memory ? { memory: resources.memory } : {}),
    ...(resources?.cpu ? { cpu: resources.cpu } : {}),
  };
  return Object.keys(list).length > 0 ? list : undefined;
}

/** `com.openfaas.scale.min` when it is a positive integer, as faas-netes reads it. */
function minReplicas(labels: Record<string, string> | undefined): number | undefined {
  const value = labels?.[MIN_REPLICAS_LABEL];
  // Go's strconv.Atoi: an optional sign and digits, nothing around them.
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  const min = Number(value);
  return min > 0 ? min : undefined;
}
