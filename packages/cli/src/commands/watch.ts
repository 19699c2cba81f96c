import { Command } from 'commander';
import type { CoreV1Event } from '@kubernetes/client-node';
import {
  ObjectCache,
  readRollout,
  UserError,
  watchRollout,
  type RolloutView,
} from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { EXIT } from '../exit-codes.ts';
import { rolloutLine } from '../format.ts';
import type { Io } from '../io.ts';
import { lastProbeRun, probeRunText } from '../probe-runs.ts';
import { parseCanaryRef } from '../ref.ts';
import { readCanary } from '../rollout.ts';

/**
 * `greenlight watch NS/CANARY`: one line per change until the rollout ends.
 * Exits 0 when it succeeds, 1 when it fails, the Canary is deleted or the timeout passes.
 */
export function watchCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('watch')
    .description('follow a rollout live, a line per change; exit 0 on Succeeded, 1 on Failed')
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .option('--timeout <seconds>', 'give up (exit 1) after this many seconds (default: never)');
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const timeoutSeconds = parseTimeout(flags.timeout);
    const { kc, kube } = connect(flags, io);
    const canary = await readCanary(kube, ref); // fails fast on a typo or an unreachable cluster
    const id = `${ref.namespace}/${ref.name}`;

    let last = '';
    let current: RolloutView | undefined;
    let lastProbe = '';
    // The revision's probe runs from a watch of the namespace's Events: one list and one
    // watch for the whole command, no request per change. A credential that may not watch
    // Events just prints no probe lines.
    const events = new ObjectCache<CoreV1Event>(
      kc,
      { apiVersion: 'v1', kind: 'Event', namespace: ref.namespace },
      { onError: () => undefined },
    );
    const printProbe = () => {
      const run = current && lastProbeRun(events.list(), ref.name, current.revision);
      if (!run || !current) return;
      const text = `probe of ${current.revision}: ${probeRunText(run)}`;
      if (text === lastProbe) return;
      lastProbe = text;
      io.out(`${new Date().toISOString().slice(11, 19)}  ${id}  ${text}\n`);
    };
    const print = (view: RolloutView) => {
      current = view;
      const line = rolloutLine(view);
      const withoutTime = line.slice(line.indexOf(' ') + 1);
      if (withoutTime !== last) io.out(line);
      last = withoutTime;
      printProbe();
    };
    const first = await readRollout(kube, canary);
    print(first);
    if (first.verdict !== 'in-progress' && first.verdict !== 'idle') {
      return setExit(exitCodeOf(first));
    }

    let follower: ReturnType<typeof watchRollout> | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const code = await new Promise<number>((resolve, reject) => {
        if (timeoutSeconds !== undefined) {
          timer = setTimeout(() => {
            io.err(`greenlight: ${id} did not finish within ${timeoutSeconds}s\n`);
            resolve(EXIT.failure);
          }, timeoutSeconds * 1000);
        }
        io.signal?.addEventListener('abort', () => resolve(EXIT.failure), { once: true });
        follower = watchRollout(kc, ref, canary.spec.provider, (view) => {
          if (!view) {
            io.err(`greenlight: Canary ${id} was deleted\n`);
            return resolve(EXIT.failure);
          }
          print(view);
          if (view.verdict !== 'in-progress' && view.verdict !== 'idle') resolve(exitCodeOf(view));
        });
        follower.ready.catch(reject);
        events.onChange(printProbe);
        events.onSync(printProbe);
        void events.start();
      });
      setExit(code);
    } finally {
      clearTimeout(timer);
      follower?.stop();
      events.stop();
    }
  });
}

function exitCodeOf(view: RolloutView): number {
  return view.verdict === 'succeeded' ? EXIT.ok : EXIT.failure;
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !(seconds > 0) || !Number.isFinite(seconds)) {
    throw new UserError(`must be a positive number of seconds, got "${value}"`, {
      field: '--timeout',
      hint: 'For example --timeout 600, or leave it out to wait until the rollout ends',
    });
  }
  return seconds;
}
