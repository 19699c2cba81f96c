import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FleetResponse,
  MarkResponse,
  MetricsResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { GreenlightApi, RolloutRef } from './GreenlightApi.ts';

/**
 * The backend over HTTP, through Backstage's discovery (where `greenlight` is mounted) and
 * fetch (which adds the user's token). A non-2xx answer becomes a ResponseError that
 * carries the backend's error name and message.
 */
export class GreenlightClient implements GreenlightApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  fleet(options: { window?: string } = {}): Promise<FleetResponse> {
    return this.#request('/rollouts', query({ window: options.window }));
  }

  rollout(ref: RolloutRef): Promise<RolloutResponse> {
    return this.#request(pathOf(ref), query(scope(ref)));
  }

  metrics(ref: RolloutRef, options: { window?: string } = {}): Promise<MetricsResponse> {
    return this.#request(
      `${pathOf(ref)}/metrics`,
      query({ ...scope(ref), window: options.window }),
    );
  }

  approve(ref: RolloutRef, revision: string): Promise<MarkResponse> {
    return this.#mark('approve', ref, revision);
  }

  abort(ref: RolloutRef, revision: string): Promise<MarkResponse> {
    return this.#mark('abort', ref, revision);
  }

  rollback(ref: RolloutRef, revision: string): Promise<MarkResponse> {
    return this.#mark('rollback', ref, revision);
  }

  #mark(verb: string, ref: RolloutRef, revision: string): Promise<MarkResponse> {
    const cluster = ref.cluster ? query({ cluster: ref.cluster }) : '';
    return this.#request(`${pathOf(ref)}/${verb}`, cluster, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        revision,
        ...(ref.entityRef ? { entityRef: ref.entityRef } : {}),
      }),
    });
  }

  async #request<T>(path: string, search: string, init?: RequestInit): Promise<T> {
    const base = await this.#discoveryApi.getBaseUrl('greenlight');
    const response = await this.#fetchApi.fetch(`${base}${path}${search}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

function pathOf(ref: RolloutRef): string {
  return `/rollouts/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

function scope(ref: RolloutRef) {
  return { cluster: ref.cluster, entityRef: ref.entityRef };
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
