// A runner's checkout of the action's fixture repository: stack.yml, chatbot and faq
// committed once on `main`, in a fresh temp folder, and git run in it as octocat.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './run-action.ts';

export interface Checkout {
  dir: string;
  /** The base commit. */
  head: string;
  /** Runs git in the checkout; its trimmed stdout. */
  git(...args: string[]): string;
}

export async function fixtureCheckout(prefix: string): Promise<Checkout> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'octocat',
        GIT_AUTHOR_EMAIL: 'octocat@example.com',
        GIT_COMMITTER_NAME: 'octocat',
        GIT_COMMITTER_EMAIL: 'octocat@example.com',
      },
    }).trim();
  for (const path of ['stack.yml', 'chatbot', 'faq'])
    await cp(join(FIXTURES, path), join(dir, path), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'base');
  return { dir, head: git('rev-parse', 'HEAD'), git };
}
