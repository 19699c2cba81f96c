import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FleetResponse,
  MarkResponse,
  MetricsResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { GreenlightApi, RolloutTarget } from './GreenlightApi.ts';

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

  rollout(target: RolloutTarget): Promise<RolloutResponse> {
    return this.#request(pathOf(target), query(scope(target)));
  }

  metrics(target: RolloutTarget, options: { window?: string } = {}): Promise<MetricsResponse> {
    return this.#request(
      `${pathOf(target)}/metrics`,
      query({ ...scope(target), window: options.window }),
    );
  }

  approve(target: RolloutTarget, revision: string): Promise<MarkResponse> {
    return this.#mark('approve', target, revision);
  }

  abort(target: RolloutTarget, revision: string): Promise<MarkResponse> {
    return this.#mark('abort', target, revision);
  }

  #mark(verb: string, target: RolloutTarget, revision: string): Promise<MarkResponse> {
    const cluster = target.cluster ? query({ cluster: target.cluster }) : '';
    return this.#request(`${pathOf(target)}/${verb}`, cluster, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        revision,
        ...(target.entityRef ? { entityRef: target.entityRef } : {}),
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

function pathOf(target: RolloutTarget): string {
  return `/rollouts/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`;
}

function scope(target: RolloutTarget) {
  return { cluster: target.cluster, entityRef: target.entityRef };
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
