// The GitHub REST client: @octokit/rest, pointed at GITHUB_API_URL so the action works on
// GitHub Enterprise Server (and on a local stand-in in the tests).
import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';
import type { RunContext } from '../inputs/run-context.ts';

export interface GitHub {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/** A client for the run's repository, or why there is none. */
export function connectGitHub(
  token: string | undefined,
  context: RunContext,
): GitHub | { skipped: string } {
  if (!token) return { skipped: 'no github-token' };
  if (!context.repository) return { skipped: 'GITHUB_REPOSITORY is not set' };
  const [owner, repo] = context.repository.split('/') as [string, string];
  const octokit = new Octokit({
    auth: token,
    baseUrl: context.apiUrl,
    userAgent: 'greenlight-action',
    // Callers say what a failed call means for the run (skip an extra, once); Octokit's own
    // request log would print each failure a second time.
    log: { debug: core.debug, info: core.debug, warn: core.warning, error: core.debug },
  });
  return { octokit, owner, repo };
}

/** A failed call's words, for a warning: `403 Resource not accessible by integration`. */
export function failureOf(err: unknown): string {
  const status = (err as { status?: unknown }).status;
  const message = err instanceof Error ? err.message : String(err);
  return typeof status === 'number' ? `${status} ${message}` : message;
}
