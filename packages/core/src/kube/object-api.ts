// client-node's generic client, with two changes Greenlight needs:
// - responses stay the JSON the API sent. The stock client turns known built-in kinds into
//   its model classes (timestamps become Date objects, unknown fields are dropped), so a
//   Deployment read with `get` would differ from the same Deployment seen by a watch;
// - it tells the URL path of a kind's collection, found through the same discovery
//   requests (and cache) it uses for every other call, for `Watch`.
import {
  KubernetesObjectApi,
  type Configuration,
  type KubeConfig,
  type KubernetesObject,
  type ResponseContext,
  type V1APIResource,
} from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';
import { knownResource } from './known-kinds.ts';

export class RawObjectApi extends KubernetesObjectApi {
  /** Whether kinds of known-kinds.ts are addressed without asking discovery. */
  private knownKinds = false;

  /**
   * With `knownKinds`, the kinds Greenlight follows cost no discovery request. Without it
   * (the KubeClient), discovery comes first, so that a 404 from a read means "no such
   * object" and never "no such API group".
   */
  static create(kc: KubeConfig, options: { knownKinds?: boolean } = {}): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.setDefaultNamespace(kc);
    api.knownKinds = options.knownKinds ?? false;
    return api;
  }

  protected override async resource(
    apiVersion: string,
    kind: string,
    options?: Configuration,
  ): Promise<V1APIResource | undefined> {
    const known = this.knownKinds ? knownResource(apiVersion, kind) : undefined;
    return known ?? super.resource(apiVersion, kind, options);
  }

  /** `/apis/flagger.app/v1beta1/namespaces/apps/canaries`, or every namespace's without one. */
  collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    return this.specUriPath({ apiVersion, kind, metadata: { namespace } }, 'list');
  }

  protected override async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
  ): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      return JSON.parse(text) as T;
    }
    throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', text, {});
  }
}
