import {
  AppsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';

// Writes to the `/status` subresource, which core's KubeClient does not offer: a JSON
// merge patch through client-node's typed APIs, over HTTP like every other write of the
// sandbox's controllers, so they would work the same against a real API server.

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class StatusWriter {
  readonly #custom: CustomObjectsApi;
  readonly #apps: AppsV1Api;

  constructor(kc: KubeConfig) {
    this.#custom = kc.makeApiClient(CustomObjectsApi);
    this.#apps = kc.makeApiClient(AppsV1Api);
  }

  /** Merge-patches `status` of Canary `namespace/name`. */
  async canary(namespace: string, name: string, status: object): Promise<void> {
    try {
      await this.#custom.patchNamespacedCustomObjectStatus(
        {
          group: 'flagger.app',
          version: 'v1beta1',
          plural: 'canaries',
          namespace,
          name,
          body: { status },
        },
        MERGE_PATCH,
      );
    } catch (error) {
      throw new Error(`updating canary ${name}.${namespace} status failed: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  /** Merge-patches `status` of Deployment `namespace/name`. */
  async deployment(namespace: string, name: string, status: object): Promise<void> {
    try {
      await this.#apps.patchNamespacedDeploymentStatus(
        { namespace, name, body: { status } },
        MERGE_PATCH,
      );
    } catch (error) {
      throw new Error(
        `updating deployment ${name}.${namespace} status failed: ${describe(error)}`,
        { cause: error },
      );
    }
  }
}

function describe(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const message = (JSON.parse(body) as { message?: string }).message;
      if (message) return message;
    } catch {
      // not a Status object: fall through to the error's own message
    }
  }
  return (error as Error).message;
}
