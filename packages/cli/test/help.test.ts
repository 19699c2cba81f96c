import { runCli } from '@greenlight/test-kit/processes/run-cli';

const COMMANDS = {
  render: ['--stack <file>', '--function <name>', '--step-weights <list>', '--prometheus-address'],
  status: ['<namespace/canary>', '-o, --output <format>', '--kubeconfig <file>', '--context'],
  watch: ['<namespace/canary>', '--timeout <seconds>', '--kubeconfig <file>'],
  approve: ['<namespace/canary>', '--revision <rev>', '--by <text>', '--kubeconfig <file>'],
  abort: ['<namespace/canary>', '--revision <rev>', '--by <text>', '--kubeconfig <file>'],
  sandbox: ['--port <port>', '--kubeconfig-out <file>'],
};

describe('--help', () => {
  it.each(Object.entries(COMMANDS))('explains %s and its flags, exit 0', async (name, flags) => {
    const { code, out, err } = await runCli([name, '--help']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain(`Usage: greenlight ${name} [options]`);
    for (const flag of flags) expect(out).toContain(flag);
  });

  it('lists every command when run without one, exit 2', async () => {
    const { code, err } = await runCli([]);
    expect(code).toBe(2);
    for (const name of Object.keys(COMMANDS)) expect(err).toContain(`  ${name} `);
  });
});
