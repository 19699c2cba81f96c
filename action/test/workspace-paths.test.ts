// Every path a build reads from the stack file — handler, dockerfile, configuration.copy, the
// template folder — resolves inside the workspace with symlinks followed, or the step fails
// naming the field before anything is built.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStack, UserError } from '@greenlight/core';
import { buildContexts } from '../src/build/build-context.ts';

let workspace: string;
let outside: string;

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'greenlight-workspace-'));
  outside = await mkdtemp(join(tmpdir(), 'greenlight-outside-'));
  await writeFile(join(outside, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  await mkdir(join(workspace, 'bot'));
  await writeFile(join(workspace, 'bot', 'Dockerfile'), 'FROM scratch\n');
});

function contextsOf(fn: string, top = '') {
  const file = join(workspace, 'stack.yml');
  const stack = parseStack(
    `provider: {name: openfaas}\n${top}functions:\n  bot:\n    image: ghcr.io/acme/bot:1\n${fn}`,
    file,
    {},
  );
  return buildContexts(stack, Object.values(stack.functions), workspace);
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof UserError) return err;
  throw new Error(`expected a refusal, got ${String(err)}`);
}

test('a handler inside the workspace is its build context', async () => {
  const [context] = await contextsOf('    lang: dockerfile\n    handler: ./bot\n');
  expect(context).toMatchObject({ context: join(workspace, 'bot'), shrinkwrap: false });
});

test.each([
  [
    'a handler that climbs out',
    () => `    lang: dockerfile\n    handler: ${outside.replace(/^\//, '../../../../../../')}\n`,
    'functions.bot.handler',
  ],
  [
    'an absolute handler',
    () => `    lang: dockerfile\n    handler: ${outside}\n`,
    'functions.bot.handler',
  ],
  [
    'a dockerfile that climbs out',
    () =>
      '    lang: dockerfile\n    handler: ./bot\n    dockerfile: ../../../../../../../etc/hostname\n',
    'functions.bot.dockerfile',
  ],
])('%s is refused, naming the field', async (_, fn, field) => {
  const err = await refusal(contextsOf(fn()));
  expect(err.field).toBe(field);
  expect(err.message).toContain('outside the workspace');
  expect(err.message).toContain('nothing was built');
});

test('a handler that is a symlink to a folder outside is refused', async () => {
  await symlink(outside, join(workspace, 'linked'));
  const err = await refusal(contextsOf('    lang: dockerfile\n    handler: ./linked\n'));
  expect(err.message).toMatch(
    new RegExp(
      `stack\\.yml functions\\.bot\\.handler: "\\./linked" resolves to .*greenlight-outside-.*, outside the workspace`,
    ),
  );
});

test('a Dockerfile that is a symlink to a file outside is refused', async () => {
  await symlink(join(outside, 'Dockerfile'), join(workspace, 'bot', 'Containerfile'));
  const err = await refusal(
    contextsOf('    lang: dockerfile\n    handler: ./bot\n    dockerfile: Containerfile\n'),
  );
  expect(err.field).toBe('functions.bot.dockerfile');
});

test('a template language whose handler, template or copied path leaves the workspace is refused', async () => {
  await symlink(outside, join(workspace, 'template'));
  const template = await refusal(contextsOf('    lang: node20\n    handler: ./bot\n'));
  expect(template.field).toBe('functions.bot.lang');
  const copy = await refusal(
    contextsOf('    lang: dockerfile\n    handler: ./bot\n', `configuration:\n  copy: [../]\n`),
  );
  expect(copy.field).toBe('configuration.copy[0]');
});
