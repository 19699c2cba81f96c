import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderKubeconfig } from '@greenlight/sandbox';

// The installed commands, run as a shell would: Node 24 (Jest's own) on bin/greenlight.js.
// Each start costs about a second, so the processes run side by side.
const BIN = fileURLToPath(new URL('../bin/greenlight.js', import.meta.url));
const STACK = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));

interface Exit {
  code: number | null;
  out: string;
  err: string;
}

function exec(bin: string, args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: tmpdir() },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** A port nothing listens on: the connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let help: Exit;
let plugin: Exit;
let badFlag: Exit;
let unreachable: Exit;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-bin-'));
  const pluginPath = join(dir, 'kubectl-greenlight');
  symlinkSync(BIN, pluginPath);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig(`http://127.0.0.1:${await closedPort()}`));
  [help, plugin, badFlag, unreachable] = await Promise.all([
    exec(BIN, ['--help']),
    exec(pluginPath, ['approve', '--help']),
    exec(BIN, ['render', '--stack', STACK, '--max-weight', '101']),
    exec(BIN, ['status', 'openfaas-fn/chatbot', '--kubeconfig', kubeconfig]),
  ]);
});

describe('the greenlight bin', () => {
  it('prints help listing every command and exits 0', () => {
    expect(help.code).toBe(0);
    for (const command of ['render', 'status', 'watch', 'approve', 'abort', 'sandbox']) {
      expect(help.out).toContain(`  ${command} `);
    }
  });

  it('answers to kubectl-greenlight as the kubectl plugin "kubectl greenlight"', () => {
    expect(plugin.code).toBe(0);
    expect(plugin.out).toContain('Usage: kubectl greenlight approve [options] <namespace/canary>');
  });

  it('exits 2 on a bad flag, with the flag and the rule on stderr', () => {
    expect(badFlag).toEqual({
      code: 2,
      out: '',
      err: 'greenlight: --max-weight: must be an integer between 1 and 100, got 101\n',
    });
  });

  it('exits 1 when the cluster cannot be reached', () => {
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(
      /^greenlight: could not read Canary openfaas-fn\/chatbot: cannot reach the Kubernetes API/,
    );
  });
});
