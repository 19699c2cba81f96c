// The target Deployment (Flagger's candidate, "green") through the Kubernetes API.
// Flagger starts an analysis when the pod template changes; the revision annotation rides
// on the pod template so promotion copies it to `<name>-primary` (docs/design.md, "Flagger facts").
// A function with no Deployment yet gets the Deployment and Service faas-netes would make,
// so adding a function is a change to stack.yml and a merge.
import type { KubernetesObject, V1Deployment, V1EnvVar } from '@kubernetes/client-node';
import {
  REVISION_ANNOTATION,
  renderFunctionObjects,
  UserError,
  type KubeClient,
  type StackFunction,
} from '@greenlight/core';
import type { FunctionUpdater } from './updater.ts';

/**
 * The stack annotations the last deploy put on the pod template, comma-separated. A merge
 * patch only adds keys, so without this an annotation taken out of stack.yml would stay on
 * the Deployment (and ride along into every later revision), where faas-netes replaces the
 * whole set on each deploy.
 */
export const STACK_ANNOTATIONS = 'greenlight.dev/stack-annotations';

/**
 * The stack `environment` keys the last deploy put on the function's container,
 * comma-separated, for the same reason: faas-netes replaces a function's environment on
 * every deploy, so a variable changed in stack.yml reaches the next revision and one taken
 * out leaves it; variables the stack never set stay.
 */
export const STACK_ENVIRONMENT = 'greenlight.dev/stack-environment';

export class KubernetesUpdater implements FunctionUpdater {
  readonly name = 'kubernetes';
  private readonly kube: KubeClient;

  constructor(kube: KubeClient) {
    this.kube = kube;
  }

  async update(
    fn: StackFunction,
    namespace: string,
    image: string,
    revision: string,
  ): Promise<boolean> {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: fn.name };
    let deployment = await this.kube.get<V1Deployment>(ref);
    if (!deployment) {
      if (await this.create(fn, namespace, image, revision)) return true;
      // Made by someone else since the read: change it as any other.
      deployment = await this.kube.get<V1Deployment>(ref);
      if (!deployment)
        throw new Error(`Deployment ${namespace}/${fn.name} exists and does not: try again`);
    }
    const containers = deployment.spec?.template.spec?.containers ?? [];
    // faas-netes names the container after the function; a hand-made Deployment may not.
    const index = Math.max(
      0,
      containers.findIndex((c) => c.name === fn.name),
    );
    if (containers.length === 0) {
      throw new UserError(`Deployment ${namespace}/${fn.name} has no containers`, {
        field: 'target',
      });
    }
    // A merge patch replaces lists whole, so the patch carries every container, only the
    // function's image and its stack environment changed.
    const stackEnv = fn.environment ?? {};
    const patched = containers.map((c, i) =>
      i === index ? { ...c, image, ...envPatch(deployment, c.env, stackEnv) } : c,
    );
    const after = await this.kube.mergePatch<V1Deployment>(ref, {
      spec: {
        template: {
          // faas-netes puts a function's annotations on its pod template; so does this.
          metadata: {
            annotations: {
              ...annotationsPatch(deployment, fn.annotations ?? {}, revision),
              [STACK_ENVIRONMENT]: keyList(stackEnv),
            },
          },
          spec: { containers: patched },
        },
      },
    });
    // The API server bumps the generation only when the spec changed: a new rollout.
    return after.metadata?.generation !== deployment.metadata?.generation;
  }

  /**
   * The first Deployment of a function, and its Service unless one is there (Flagger takes
   * the Service over as its apex, docs/design.md "Flagger facts"). Created, never applied:
   * the deploy credential needs `create` only, not `patch` on Services, which would let it
   * re-point Flagger's primary Service (docs/getting-started.md, credentials). False when
   * the Deployment appeared in between.
   */
  private async create(
    fn: StackFunction,
    namespace: string,
    image: string,
    revision: string,
  ): Promise<boolean> {
    const { deployment, service } = renderFunctionObjects(fn, {
      namespace,
      image,
      annotations: { [REVISION_ANNOTATION]: revision },
    });
    const template = deployment.spec!.template.metadata!;
    const keys = Object.keys(fn.annotations ?? {}).sort();
    if (keys.length > 0)
      template.annotations = { ...template.annotations, [STACK_ANNOTATIONS]: keys.join(',') };
    const envKeys = keyList(fn.environment ?? {});
    if (envKeys) template.annotations = { ...template.annotations, [STACK_ENVIRONMENT]: envKeys };
    await this.kube.create(service as KubernetesObject);
    return (await this.kube.create(deployment as KubernetesObject)) !== undefined;
  }
}

/** The stack's annotations and the revision; null (remove) for those the stack dropped. */
function annotationsPatch(
  deployment: V1Deployment,
  stack: Record<string, string>,
  revision: string,
): Record<string, string | null> {
  const before = deployment.spec?.template.metadata?.annotations?.[STACK_ANNOTATIONS];
  const dropped = (before ? before.split(',') : []).filter((key) => !(key in stack));
  const keys = Object.keys(stack).sort();
  return {
    ...Object.fromEntries(dropped.map((key) => [key, null])),
    ...stack,
    [STACK_ANNOTATIONS]: keys.length > 0 ? keys.join(',') : null,
    [REVISION_ANNOTATION]: revision,
  };
}

/** The container's env with the stack's variables set and those the stack dropped gone. */
function envPatch(
  deployment: V1Deployment,
  current: V1EnvVar[] | undefined,
  stack: Record<string, string>,
): { env?: V1EnvVar[] } {
  const before = deployment.spec?.template.metadata?.annotations?.[STACK_ENVIRONMENT];
  const dropped = new Set((before ? before.split(',') : []).filter((key) => !(key in stack)));
  const kept = (current ?? []).filter((v) => !dropped.has(v.name) && !(v.name in stack));
  const set = Object.keys(stack)
    .sort()
    .map((name) => ({ name, value: stack[name]! }));
  const env = [...kept, ...set];
  return env.length > 0 || current !== undefined ? { env } : {};
}

/** Sorted keys, comma-separated; null (remove the annotation) when there are none. */
function keyList(values: Record<string, string>): string | null {
  const keys = Object.keys(values).sort();
  return keys.length > 0 ? keys.join(',') : null;
}
