// The install steps of backstage-plugin/README.md, read from the README itself so the
// adoption test does what it says, word for word: a README that drifts from what works
// fails the test.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const README = new URL('../../../backstage-plugin/README.md', import.meta.url);

export interface ReadmeSteps {
  /** Section 1's catalog-info.yaml annotations. */
  annotations: Record<string, string>;
  /** Section 2's command, split into words: `yarn --cwd packages/backend add <package>`. */
  backendAdd: string[];
  /** Section 2's lines for packages/backend/src/index.ts. */
  backendIndexLines: string[];
  /** Section 3's command: `yarn --cwd packages/app add <package>`. */
  appAdd: string[];
  /** Section 3 says an app with feature discovery needs nothing else. */
  discoveryNeedsNothingElse: boolean;
}

function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}`);
  if (start < 0) throw new Error(`${README.pathname} has no section "## ${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

function blocks(text: string, language: string): string[] {
  const found: string[] = [];
  const fence = new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g');
  for (const match of text.matchAll(fence)) found.push(match[1] ?? '');
  return found;
}

function command(text: string, where: string): string[] {
  const [block] = blocks(text, 'sh');
  const line = block?.split('\n').find((l) => l.startsWith('yarn '));
  if (!line) throw new Error(`${README.pathname}, ${where}: no \`yarn …\` command`);
  return line.trim().split(/\s+/);
}

export function readmeSteps(): ReadmeSteps {
  const text = readFileSync(README, 'utf8');
  const annotate = section(text, '1. Annotate');
  const backend = section(text, '2. Backend');
  const frontend = section(text, '3. Frontend — new frontend system');
  const [catalogInfo] = blocks(annotate, 'yaml');
  const annotations = (
    parse(catalogInfo ?? '') as { metadata?: { annotations?: Record<string, string> } }
  )?.metadata?.annotations;
  if (!annotations) throw new Error(`${README.pathname}, section 1: no metadata.annotations`);
  const index = blocks(backend, 'ts').find((b) => b.startsWith('// packages/backend/src/index.ts'));
  if (!index)
    throw new Error(`${README.pathname}, section 2: no packages/backend/src/index.ts block`);
  return {
    annotations,
    backendAdd: command(backend, 'section 2'),
    backendIndexLines: index
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== ''),
    appAdd: command(frontend, 'section 3'),
    discoveryNeedsNothingElse:
      /feature discovery \(`app\.packages: all`\)[^.]*nothing else is needed/.test(frontend),
  };
}
