import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  MAX_PROBE_RUN_BYTES,
  MAX_PROBE_RUN_REQUESTS,
  OptionError,
  parseProbeFile,
  probeFromMetadata,
  probeRunSize,
  renderCanary,
  resolveCanaryOptions,
  UserError,
  type FunctionProbe,
} from '../src/index.ts';

// A run is every turn of every conversation, rounds times, and Flagger calls the shared prober
// every interval: render refuses probeRounds that make one run too long, and the prober refuses
// the same metadata from a Canary written by hand, each naming the field.

const EXAMPLE = fileURLToPath(new URL('../../../examples/chatbot/probes.yml', import.meta.url));
const example = parseProbeFile(readFileSync(EXAMPLE, 'utf8'), EXAMPLE).functions.chatbot!;
/** One web-chat turn of 3,000 UTF-8 bytes: 1,500 two-byte letters. */
const wide: FunctionProbe = {
  path: '/',
  conversations: [
    {
      name: 'long',
      turns: [
        { request: { kind: 'webchat', message: 'ü'.repeat(1500) }, expect: { contains: 'ü' } },
      ],
    },
  ],
};

const render = (probe: FunctionProbe, probeRounds: number) =>
  renderCanary({ name: 'chatbot', probe }, resolveCanaryOptions({ probeRounds }));

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    return error as UserError;
  }
  throw new Error('nothing was thrown');
}

describe('a run’s length', () => {
  it('counts turns × rounds and the request bodies’ bytes × rounds', () => {
    const turns = example.conversations.reduce((n, c) => n + c.turns.length, 0);
    expect(probeRunSize(example, 3)).toMatchObject({ turns, rounds: 3, requests: turns * 3 });
    expect(probeRunSize(wide, 2).bytes).toBe(
      2 * Buffer.byteLength(JSON.stringify({ message: 'ü'.repeat(1500) })),
    );
  });

  it('renders up to the cap: the example’s 5 turns × 40 rounds is 200 requests', () => {
    expect(MAX_PROBE_RUN_REQUESTS).toBe(200);
    expect(() => render(example, 40)).not.toThrow();
  });

  it('refuses probeRounds past the request cap, naming the option and a value that fits', () => {
    const error = thrown(() => render(example, 41));
    expect(error).toBeInstanceOf(OptionError);
    expect(error.field).toBe('probeRounds');
    expect(error.message).toBe(
      "probeRounds: is 41, and with it a run sends 205 requests (5 turns × 41 rounds), more than the 200 one run may send. Lower it, e.g. probeRounds: 40, or shorten the function's conversations in probes",
    );
    // As the CLI says it.
    expect(
      (error as OptionError).spelled((name, v) => `--probe-rounds${v ? ` ${v}` : ''}`).message,
    ).toMatch(/^--probe-rounds: is 41, .* e\.g\. --probe-rounds 40,/);
  });

  it('refuses probeRounds past the byte cap', () => {
    expect(MAX_PROBE_RUN_BYTES).toBe(262_144);
    expect(() => render(wide, 80)).not.toThrow();
    const error = thrown(() => render(wide, 100));
    expect(error.field).toBe('probeRounds');
    expect(error.message).toMatch(
      /^probeRounds: is 100, and with it a run sends 30\d{4} bytes of requests \(1 turn × 100 rounds\), more than the 262144 one run may send\. Lower it, e\.g\. probeRounds: 8\d,/,
    );
  });

  it('is refused by the prober from a Canary’s metadata, naming metadata.rounds', () => {
    const [canary] = render(example, 40) as unknown as [
      { spec: { analysis: { webhooks: { metadata: Record<string, string> }[] } } },
    ];
    const metadata = { ...canary.spec.analysis.webhooks.at(-1)!.metadata, rounds: '41' };
    const error = thrown(() => probeFromMetadata(metadata));
    expect(error).toBeInstanceOf(UserError);
    expect(error.field).toBe('metadata.rounds');
    expect(error.message).toMatch(
      /^metadata\.rounds: metadata\.rounds is 41, and with it a run sends 205 requests \(5 turns × 41 rounds\), more than the 200 one run may send\./,
    );
  });
});
