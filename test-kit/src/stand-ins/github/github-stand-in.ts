// A local stand-in for api.github.com (the action finds it through GITHUB_API_URL). It
// answers the calls Greenlight makes and checks every request against GitHub's OpenAPI
// description, keeping what it received for the test to assert on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest } from './openapi-check.ts';

export interface GitHubRequest {
  method: string;
  path: string;
  operationId?: string;
  body?: Record<string, unknown>;
  authorization?: string;
  problems: string[];
}

export interface GitHubStandIn {
  url: string;
  requests: GitHubRequest[];
  /** The issue and pull request comments it holds, as GitHub would show them. */
  comments: { id: number; issue: number; body: string; html_url: string }[];
  /** Every mismatch with GitHub's API description, over all requests. */
  problems(): string[];
  close(): Promise<void>;
}

export async function startGitHubStandIn(
  options: { status?: number } = {},
): Promise<GitHubStandIn> {
  const requests: GitHubRequest[] = [];
  let nextId = 1000;
  const deployments: { id: number; sha: string; environment: string }[] = [];
  const comments: { id: number; issue: number; body: string; html_url: string }[] = [];

  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const url = req.url ?? '/';
      const checked = checkRequest(req.method ?? 'GET', url, body);
      requests.push({
        method: req.method ?? 'GET',
        path: url,
        ...(checked.operationId ? { operationId: checked.operationId } : {}),
        ...(body ? { body } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        problems: checked.problems,
      });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (options.status)
        return send(options.status, { message: 'Resource not accessible by integration' });
      const query = new URL(url, 'http://github.local').searchParams;
      switch (checked.operationId) {
        case 'repos/create-deployment': {
          const deployment = {
            id: nextId++,
            sha: String(body?.ref),
            environment: String(body?.environment),
          };
          deployments.push(deployment);
          return send(201, deployment);
        }
        case 'repos/list-deployments':
          return send(
            200,
            deployments
              .filter(
                (d) => d.sha === query.get('sha') && d.environment === query.get('environment'),
              )
              .reverse(),
          );
        case 'repos/create-deployment-status':
          return send(201, { id: nextId++, state: body?.state });
        case 'issues/list-comments':
          return send(
            200,
            comments.filter((c) => c.issue === issueNumberOf(url)),
          );
        case 'issues/create-comment': {
          const id = nextId++;
          const issue = issueNumberOf(url);
          const comment = {
            id,
            issue,
            body: String(body?.body),
            html_url: `https://github.com/acme/chatbots/pull/${issue}#issuecomment-${id}`,
          };
          comments.push(comment);
          return send(201, comment);
        }
        case 'issues/update-comment': {
          const id = Number(new URL(url, 'http://github.local').pathname.split('/').pop());
          const comment = comments.find((c) => c.id === id);
          if (comment) comment.body = String(body?.body);
          return send(comment ? 200 : 404, comment ?? { message: 'Not Found' });
        }
        default:
          return send(404, { message: 'Not Found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments,
    problems: () => requests.flatMap((r) => r.problems),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `/repos/{owner}/{repo}/issues/{issue_number}/comments` → the number. */
function issueNumberOf(url: string): number {
  return Number(/\/issues\/(\d+)\/comments/.exec(url)?.[1]);
}
