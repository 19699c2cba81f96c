// GitHub Deployments: one per function and environment (`production/chatbot`), so each
// function's history and its "active" deployment show on the repository page. A status
// per state; `auto_inactive` (GitHub's default) marks the replaced deployment inactive when
// a new one succeeds. Without a usable token, deploying goes on and the skip is said once.
import * as core from '@actions/core';
import type { RunContext } from '../inputs/run-context.ts';
import { connectGitHub, failureOf, type GitHub } from './github.ts';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive' | 'error';

export interface DeploymentsOptions {
  token?: string;
  context: RunContext;
  environment: string;
  /** Backstage's page for the function, `environment_url` of every status. */
  portalUrl?: string;
}

export class Deployments {
  private readonly github?: GitHub;
  private readonly options: DeploymentsOptions;
  private readonly ids = new Map<string, number>();
  private skipped = false;

  constructor(options: DeploymentsOptions) {
    this.options = options;
    const github = connectGitHub(options.token, options.context);
    if ('skipped' in github) this.skip(github.skipped);
    else this.github = github;
  }

  environmentOf(fn: string): string {
    return `${this.options.environment}/${fn}`;
  }

  /** Creates the deployment of `fn` at `revision`. */
  async start(fn: string, revision: string, payload: object): Promise<void> {
    await this.call(async ({ octokit, owner, repo }) => {
      const { data } = await octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref: revision,
        environment: this.environmentOf(fn),
        description: `Greenlight canary of ${fn}`,
        auto_merge: false,
        // The commit was merged after its checks; a deployment must not wait for them again.
        required_contexts: [],
        payload: payload as Record<string, unknown>,
        production_environment: this.options.environment === 'production',
      });
      // 202 is GitHub's "merged the default branch first" answer, which auto_merge: false rules out.
      if ('id' in data) this.ids.set(fn, data.id);
    });
  }

  /** Finds the deployment an earlier job created for `fn` at `revision` (promote, abort). */
  async find(fn: string, revision: string): Promise<void> {
    await this.call(async ({ octokit, owner, repo }) => {
      const { data } = await octokit.rest.repos.listDeployments({
        owner,
        repo,
        sha: revision,
        environment: this.environmentOf(fn),
        per_page: 1,
      });
      if (data[0]) this.ids.set(fn, data[0].id);
    });
  }

  async status(fn: string, state: DeploymentState, description: string): Promise<void> {
    const id = this.ids.get(fn);
    if (id === undefined) return;
    await this.call(async ({ octokit, owner, repo }) => {
      await octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
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

  private async call(run: (github: GitHub) => Promise<void>): Promise<void> {
    if (!this.github || this.skipped) return;
    try {
      await run(this.github);
    } catch (err) {
      this.skip(failureOf(err));
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
