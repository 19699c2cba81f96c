// What the runner tells a step about the run (GitHub docs, "Default environment variables").
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

export interface RunContext {
  /** `owner/name`. */
  repository?: string;
  sha?: string;
  ref?: string;
  actor: string;
  eventName?: string;
  /** The pull request number when the event is about one. */
  pullRequest?: number;
  /** The base branch's commit of that pull request. */
  baseSha?: string;
  /** The link to this run, for approvals ("approved by X in <run>") and deployment logs. */
  runUrl?: string;
  apiUrl: string;
  runnerTemp: string;
  workspace: string;
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  const runUrl =
    env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const event = readEvent(env.GITHUB_EVENT_PATH);
  return {
    repository: env.GITHUB_REPOSITORY || undefined,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF || undefined,
    actor: env.GITHUB_ACTOR || 'github-actions',
    eventName: env.GITHUB_EVENT_NAME || undefined,
    pullRequest: event?.pull_request?.number,
    baseSha: event?.pull_request?.base?.sha,
    runUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runnerTemp: env.RUNNER_TEMP || tmpdir(),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
}

interface PullRequestEvent {
  pull_request?: { number?: number; base?: { sha?: string } };
}

function readEvent(path: string | undefined): PullRequestEvent | undefined {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PullRequestEvent;
  } catch {
    return undefined;
  }
}
