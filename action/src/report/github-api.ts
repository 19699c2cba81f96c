// GitHub's REST API over fetch, for the few calls the action makes (Deployments, their
// statuses, issue comments). Errors carry the status so callers can tell "no permission"
// (skip the extra, say so once) from a bug.

export class GitHubApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'GitHubApiError';
    this.status = status;
  }
}

export interface GitHubApi {
  readonly owner: string;
  readonly repo: string;
  request<T>(method: string, path: string, body?: object): Promise<T>;
}

export function createGitHubApi(baseUrl: string, token: string, repository: string): GitHubApi {
  const [owner, repo] = repository.split('/') as [string, string];
  return {
    owner,
    repo,
    async request<T>(method: string, path: string, body?: object): Promise<T> {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'greenlight-action',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (!response.ok) {
        const message =
          (safeJson(text) as { message?: string } | undefined)?.message ?? text.slice(0, 200);
        throw new GitHubApiError(
          `${method} ${path.split('?')[0]}: ${response.status} ${message}`,
          response.status,
        );
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
