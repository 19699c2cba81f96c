// A chatbot function as the action would ship it, against the real control plane: its
// Canary rendered by core (approval on, Flagger's shortest interval, one step), and its
// target Deployment stamped with the revision, its environment the one the mesh's pods run
// the real chatbot with (harness/mesh.ts) — a bad version sets a demo fault there.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import {
  renderCanary,
  resolveCanaryOptions,
  REVISION_ANNOTATION,
  type CanaryOptionsInput,
  type CanaryProvider,
  type KubeClient,
} from '@greenlight/core';
import type { DemoFault } from '@greenlight/example-chatbot';
import type { ControlPlane } from './control-plane.ts';
import { FUNCTIONS_NAMESPACE } from './control-plane.ts';

export interface ChatbotVersion {
  name: string;
  revision: string;
  /** The chatbot's DEMO_FAULT (examples/chatbot/README.md); none: a good version. */
  faults?: DemoFault[];
  provider?: CanaryProvider;
  /** Canary options beyond the harness's own: testers first replaces its one 50 % step. */
  options?: Partial<CanaryOptionsInput>;
}

/**
 * 10 s is Flagger's shortest interval; one step to 50 % then promotion. Threshold 2: a
 * single "no values found" while Prometheus catches up must not roll a good version back.
 */
export function chatbotCanary(
  plane: ControlPlane,
  name: string,
  provider: CanaryProvider = 'linkerd',
  extra: Partial<CanaryOptionsInput> = {},
): KubernetesObject[] {
  const testers = extra.testersHeader !== undefined || extra.testersCookie !== undefined;
  const options = resolveCanaryOptions({
    namespace: FUNCTIONS_NAMESPACE,
    provider,
    approval: true,
    gateUrl: plane.gate.url,
    interval: '10s',
    ...(testers ? {} : { stepWeight: 50, maxWeight: 50 }),
    ...extra,
    threshold: 2,
    ...(provider === 'gatewayapi' ? { prometheusAddress: plane.prometheus.url } : {}),
    // As a team's deploy records it: the Backstage dev app approves only its owner's Canary.
    owner: `component:default/${name}`,
  });
  return renderCanary({ name }, options) as KubernetesObject[];
}

export function chatbotDeployment(version: ChatbotVersion): V1Deployment {
  const { name, revision } = version;
  const labels = { faas_function: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: FUNCTIONS_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels,
          annotations: { [REVISION_ANNOTATION]: revision },
        },
        spec: {
          containers: [
            {
              name,
              image: `127.0.0.1:5000/${name}:${revision}`,
              ports: [{ containerPort: 8080 }],
              env: chatbotEnv(revision, version.faults),
            },
          ],
        },
      },
    },
  };
}

/** The environment stack.yml gives the chatbot, and the demo fault of a bad version. */
export function chatbotEnv(
  revision: string,
  faults: DemoFault[] = [],
): { name: string; value: string }[] {
  return [
    { name: 'BOT_COLOR', value: 'green' },
    { name: 'BOT_REVISION', value: revision },
    ...(faults.length > 0 ? [{ name: 'DEMO_FAULT', value: faults.join(',') }] : []),
  ];
}

/** Applies the Canary (and templates), then the target Deployment at `version`. */
export async function deploy(plane: ControlPlane, version: ChatbotVersion): Promise<void> {
  for (const object of chatbotCanary(plane, version.name, version.provider, version.options))
    await plane.kube.apply(object);
  await plane.kube.apply(chatbotDeployment(version) as KubernetesObject);
}

export function deploymentRevision(kube: KubeClient, name: string): Promise<string | undefined> {
  return kube
    .get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: FUNCTIONS_NAMESPACE,
      name,
    })
    .then((d) => d?.spec?.template?.metadata?.annotations?.[REVISION_ANNOTATION]);
}
