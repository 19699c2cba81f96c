// GitHub Deployments: one per function and environment (`production/chatbot`), so each
// function's history and its "active" deployment show on the repository page. A status
// per state; `auto_inactive` (GitHub's default) marks the replaced deployment inactive when
// a new one succeeds. Without a usable token, deploying goes on and the skip is said once.
import * as core from '../toolkit/core.ts';
import type { RunContext } from '../context.ts';
import { createGitHubApi, type GitHubApi } from './github-api.ts';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive' | 'error';

export interface DeploymentsOptions {
  token?: string;
  context: RunContext;
  environment: string;
  /** Backstage's page for the function, `environment_url` of every status. */
  portalUrl?: string;
}

interface Deployment {
  id: number;
}

export class Deployments {
  private readonly api?: GitHubApi;
  private readonly options: DeploymentsOptions;
  private readonly ids = new Map<string, number>();
  private skipped = false;

  constructor(options: DeploymentsOptions) {
    this.options = options;
    const { token, context } = options;
    if (token && context.repository)
      this.api = createGitHubApi(context.apiUrl, token, context.repository);
    else this.skip(token ? 'GITHUB_REPOSITORY is not set' : 'no github-token');
  }

  environmentOf(fn: string): string {
    return `${this.options.environment}/${fn}`;
  }

  /** Creates the deployment of `fn` at `revision`. */
  async start(fn: string, revision: string, payload: object): Promise<void> {
    await this.call(async (api) => {
      const deployment = await api.request<Deployment>(
        'POST',
        `/repos/${api.owner}/${api.repo}/deployments`,
        {
          ref: revision,
          environment: this.environmentOf(fn),
          description: `Greenlight canary of ${fn}`,
          auto_merge: false,
          // The commit was merged after its checks; a deployment must not wait for them again.
          required_contexts: [],
          payload,
          production_environment: this.options.environment === 'production',
        },
      );
      this.ids.set(fn, deployment.id);
    });
  }

  /** Finds the deployment an earlier job created for `fn` at `revision` (promote, abort). */
  async find(fn: string, revision: string): Promise<void> {
    await this.call(async (api) => {
      const query = new URLSearchParams({
        sha: revision,
        environment: this.environmentOf(fn),
        per_page: '1',
      });
      const found = await api.request<Deployment[]>(
        'GET',
        `/repos/${api.owner}/${api.repo}/deployments?${query}`,
      );
      if (found[0]) this.ids.set(fn, found[0].id);
    });
  }

  async status(fn: string, state: DeploymentState, description: string): Promise<void> {
    const id = this.ids.get(fn);
    if (id === undefined) return;
    await this.call(async (api) => {
      await api.request('POST', `/repos/${api.owner}/${api.repo}/deployments/${id}/statuses`, {
        state,
        description: description.slice(0, 140),
        environment: this.environmentOf(fn),
        ...(this.options.context.runUrl ? { log_url: this.options.context.runUrl } : {}),
        ...(this.options.portalUrl
          ? { environment_url: portalLink(this.options.portalUrl, fn) }
          : {}),
      });
    });
  }

  private async call(run: (api: GitHubApi) => Promise<void>): Promise<void> {
    if (!this.api || this.skipped) return;
    try {
      await run(this.api);
    } catch (err) {
      this.skip((err as Error).message);
    }
  }

  private skip(why: string): void {
    if (this.skipped) return;
    this.skipped = true;
    core.warning(
      `GitHub Deployments skipped (${why}); the deploy itself goes on. Give the job permissions: deployments: write to record them.`,
    );
  }
}

/** The function's page in the portal (Backstage catalog entity, Greenlight tab). */
export function portalLink(portalUrl: string, fn: string): string {
  return `${portalUrl}/catalog/default/component/${encodeURIComponent(fn)}/greenlight`;
}
