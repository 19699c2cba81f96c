import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';

// `npm start` as a user runs it (here faster, and ending with the rollout).
const DEMO = fileURLToPath(new URL('../src/demo/main.ts', import.meta.url));

function demo(args: string[]): Promise<{ code: number | null; out: string; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'greenlight-demo-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, '--once', '--speed', '50', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, cwd }));
  });
}

test('npm start rolls v2 of the example chatbot out and promotes it, labelled a sandbox', async () => {
  const { code, out, cwd } = await demo(['--no-approval']);
  expect(out).toContain('Greenlight sandbox');
  expect(out).toContain('Not a real cluster');
  // v1 and v2 go through the action (action/dist/index.js) as a runner runs it.
  expect(out).toMatch(/action: chatbot: Canary applied, kubernetes runs \S+:v1 as revision v1/);
  expect(out).toMatch(/action: chatbot: Canary applied, kubernetes runs \S+:v2 as revision v2/);
  expect(out).toContain('images are not built here');
  // No github-token: said once, calmly, not as a warning.
  expect(out.match(/GitHub Deployments not recorded/g)).toHaveLength(1);
  expect(out).not.toContain('action (warning)');
  expect(out).toMatch(/Progressing {2}green 50% \/ blue 50%/);
  // The real prober's conversations reached v2's chatbot before and during the analysis.
  expect(out).toMatch(/probe: pre-rollout openfaas-fn\/chatbot revision v2: passed, 5 requests/);
  expect(out).toContain('flagger: Pre-rollout check greenlight-probe-pre passed');
  expect(out).toMatch(/probe: rollout openfaas-fn\/chatbot revision v2: passed, 25 requests/);
  expect(out).toMatch(/sandbox: rollout succeeded/);
  expect(out).toContain('sandbox: stopped.');
  expect(code).toBe(0);
  expect(readFileSync(join(cwd, '.greenlight', 'sandbox.kubeconfig'), 'utf8')).toContain(
    'greenlight-sandbox',
  );
});

test('npm start -- --bad ships v2 with a bug in its code and ends with it rolled back, the failed check as the reason', async () => {
  const { code, out, cwd } = await demo(['--bad']);
  expect(readFileSync(join(cwd, '.greenlight', 'stack.bad.yml'), 'utf8')).toContain(
    'DEMO_FAULT: fail-questions',
  );
  expect(out).toMatch(/action: chatbot: Canary applied, kubernetes runs \S+:v2 as revision v2/);
  // Its code answers questions with a 500: the probe's question fails before users see v2.
  expect(out).toMatch(/probe: pre-rollout openfaas-fn\/chatbot revision v2: failed/);
  expect(out).toMatch(
    /Why {16}Halt chatbot\.openfaas-fn advancement pre-rollout check greenlight-probe-pre failed/,
  );
  expect(out).toContain('Blue (primary)     v1  100%');
  expect(code).toBe(0);
});

test('npm start -- --users 0 runs with the probe as the only traffic; a bad rate is refused naming the flag', async () => {
  const quiet = await demo(['--users', '0', '--no-approval']);
  expect(quiet.out).toContain('simulated users            none (--users 0)');
  expect(quiet.out).toMatch(/sandbox: rollout succeeded/);
  expect(quiet.code).toBe(0);

  const bad = await demo(['--users', 'many']);
  expect(bad.out).toContain(
    'greenlight sandbox: --users: must be a number of messages per second from 0 to 1000, got "many"',
  );
  expect(bad.code).toBe(2);
});
