import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPath, runTool } from '../src/build/tool.ts';

let bin: string;
beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'greenlight-tool-'));
  await writeFile(join(bin, 'quits'), '#!/bin/sh\nexit 3\n');
  await writeFile(join(bin, 'reads'), '#!/bin/sh\ncat\n');
  await chmod(join(bin, 'quits'), 0o755);
  await chmod(join(bin, 'reads'), 0o755);
});
afterAll(() => rm(bin, { recursive: true, force: true }));

test('a tool that exits without reading its stdin gives its exit code, not an EPIPE crash', async () => {
  // More than a pipe buffer holds, so the write is still going on when the tool has gone.
  const input = 'x'.repeat(1 << 20);
  for (let i = 0; i < 20; i++) {
    const out = await runTool(join(bin, 'quits'), ['login'], { input, silent: true });
    expect(out.exitCode).toBe(3);
  }
});

test('a tool reads what it is given on stdin', async () => {
  const out = await runTool(join(bin, 'reads'), [], { input: 's3cret', silent: true });
  expect(out).toEqual({ exitCode: 0, stdout: 's3cret', stderr: '' });
});

test('a tool not on the PATH is reported as such', async () => {
  expect(await onPath('greenlight-no-such-tool')).toBe(false);
  expect(await onPath(join(bin, 'quits'))).toBe(true);
});
