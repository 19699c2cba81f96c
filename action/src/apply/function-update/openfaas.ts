// The OpenFaaS gateway's REST API, as `faas-cli deploy` uses it: PUT /system/functions
// updates a function, POST creates one when the update answers 404 (faas-cli
// proxy/deploy.go). faas-netes copies `annotations` to the pod template, so the revision
// annotation reaches the Deployment Flagger watches.
import { REVISION_ANNOTATION, type StackFunction } from '@greenlight/core';
import type { OpenFaasGateway } from '../../inputs/inputs.ts';
import type { FunctionUpdater } from './updater.ts';

export class OpenFaasUpdater implements FunctionUpdater {
  readonly name = 'openfaas';
  private readonly gateway: OpenFaasGateway;

  constructor(gateway: OpenFaasGateway) {
    this.gateway = gateway;
  }

  async update(
    fn: StackFunction,
    namespace: string,
    image: string,
    revision: string,
  ): Promise<boolean> {
    const body = JSON.stringify(deploymentRequest(fn, namespace, image, revision));
    let response = await this.send('PUT', body);
    if (response.status === 404) response = await this.send('POST', body);
    if (!response.ok) {
      const text = (await response.text()).trim().slice(0, 300);
      throw new Error(`the OpenFaaS gateway refused ${fn.name}: ${response.status} ${text}`);
    }
    // The gateway does not say whether the Deployment changed: assume a new rollout.
    return true;
  }

  private send(method: 'PUT' | 'POST', body: string): Promise<Response> {
    const auth = Buffer.from(`${this.gateway.username}:${this.gateway.password}`).toString(
      'base64',
    );
    return fetch(`${this.gateway.url}/system/functions`, {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body,
    });
  }
}

/** The gateway's FunctionDeployment (openfaas/faas-provider types.FunctionDeployment). */
export function deploymentRequest(
  fn: StackFunction,
  namespace: string,
  image: string,
  revision: string,
) {
  return {
    service: fn.name,
    image,
    namespace,
    ...(fn.fprocess ? { envProcess: fn.fprocess } : {}),
    envVars: fn.environment ?? {},
    labels: fn.labels ?? {},
    annotations: { ...(fn.annotations ?? {}), [REVISION_ANNOTATION]: revision },
    secrets: fn.secrets ?? [],
    constraints: fn.constraints ?? [],
    ...(fn.limits ? { limits: fn.limits } : {}),
    ...(fn.requests ? { requests: fn.requests } : {}),
    readOnlyRootFilesystem: fn.readonly_root_filesystem ?? false,
  };
}
