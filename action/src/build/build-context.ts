// Where a function is built from. `lang: dockerfile` handlers carry their own Dockerfile and
// build as they are (the handler folder is the context); template languages need the template merged in first, which is what
// `faas-cli build --shrinkwrap` does (it writes build/<function>/ beside the stack file).
// Every path a build reads resolves inside the workspace (workspace-paths.ts).
import { dirname, join, resolve } from 'node:path';
import { fieldOf, UserError, type Stack, type StackFunction } from '@greenlight/core';
import { onPath, runTool } from './tool.ts';
import { insideWorkspace, linksStayInside, type StackPath } from './workspace-paths.ts';

export interface BuildContext {
  name: string;
  context: string;
  dockerfile: string;
  /** Run `faas-cli build --shrinkwrap` before building. */
  shrinkwrap: boolean;
}

/** Checks every function's build inputs before anything is built. */
export async function buildContexts(
  stack: Stack,
  functions: StackFunction[],
  workspace: string,
): Promise<BuildContext[]> {
  const root = dirname(resolve(stack.file));
  const folders: StackPath[] = [];
  const inside = (path: string, field: string, written: string) => {
    const stackPath = { path, field, written, stackFile: stack.file };
    folders.push(stackPath);
    return insideWorkspace(workspace, stackPath);
  };
  // First what a build would read, so a path that leaves the workspace is refused before
  // anything else is said or run. faas-cli copies configuration.copy into every template
  // build's context, and the template folder of the function's lang. Fields are spelled as
  // core spells them in stack.yml's errors (`configuration.copy[0]`).
  for (const [i, copy] of (stack.configuration?.copy ?? []).entries())
    await inside(resolve(root, copy), fieldOf(['configuration', 'copy', i]), copy);
  for (const fn of functions) {
    await inside(resolve(root, fn.handler), fieldOf(['functions', fn.name, 'handler']), fn.handler);
    if (fn.lang !== 'dockerfile')
      await inside(
        join(root, 'template', fn.lang),
        fieldOf(['functions', fn.name, 'lang']),
        fn.lang,
      );
  }
  // Then the links inside those folders, once each named path is known to stay inside.
  const contexts = await contextsOf(stack, functions, root, inside);
  for (const folder of folders) await linksStayInside(workspace, folder);
  return contexts;
}

async function contextsOf(
  stack: Stack,
  functions: StackFunction[],
  root: string,
  inside: (path: string, field: string, written: string) => Promise<string | undefined>,
): Promise<BuildContext[]> {
  const needsFaasCli = functions.filter((fn) => fn.lang !== 'dockerfile' && !fn.skip_build);
  if (needsFaasCli.length > 0 && !(await onPath('faas-cli'))) {
    const names = needsFaasCli.map((fn) => `${fn.name} (lang: ${fn.lang})`).join(', ');
    throw new UserError(
      `${names} use${needsFaasCli.length === 1 ? 's' : ''} an OpenFaaS template, which needs faas-cli on the PATH to shrinkwrap`,
      {
        field: 'stack-file',
        hint: 'Add a step that installs faas-cli (curl -sSL https://cli.openfaas.com | sh), or give the handler a Dockerfile and lang: dockerfile',
      },
    );
  }
  const contexts: BuildContext[] = [];
  for (const fn of functions) {
    if (fn.lang !== 'dockerfile') {
      const context = join(root, 'build', fn.name);
      contexts.push({
        name: fn.name,
        context,
        dockerfile: join(context, 'Dockerfile'),
        shrinkwrap: true,
      });
      continue;
    }
    const context = resolve(root, fn.handler);
    // `dockerfile:` (Greenlight's key) names it inside the context, e.g. an image built from
    // the repository root with its Containerfile in a subfolder.
    const dockerfile = resolve(context, fn.dockerfile ?? 'Dockerfile');
    const found = await inside(
      dockerfile,
      fieldOf(['functions', fn.name, fn.dockerfile ? 'dockerfile' : 'handler']),
      fn.dockerfile ?? join(fn.handler, 'Dockerfile'),
    );
    if (!found) {
      throw new UserError(
        `function ${fn.name} has lang: dockerfile but ${dockerfile} does not exist`,
        {
          field: 'stack-file',
          hint: fn.dockerfile
            ? `Fix functions.${fn.name}.dockerfile (a path inside the handler folder ${fn.handler})`
            : `Add a Dockerfile to ${fn.handler}, or fix functions.${fn.name}.handler`,
        },
      );
    }
    contexts.push({ name: fn.name, context, dockerfile, shrinkwrap: false });
  }
  return contexts;
}

export async function shrinkwrap(stackFile: string, name: string): Promise<void> {
  const out = await runTool(
    'faas-cli',
    ['build', '--shrinkwrap', '-f', stackFile, '--filter', name],
    {
      prefix: name,
    },
  );
  if (out.exitCode !== 0)
    throw new Error(`faas-cli build --shrinkwrap of ${name} failed (exit ${out.exitCode})`);
}
