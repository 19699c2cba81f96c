// `npm start`: the Greenlight sandbox with a live rollout of the example chatbot.
// Brings up the whole sandbox (sandbox/src/start.ts), then ships revision v1 and v2 by running
// the GitHub Action (action/dist/index.js) as a runner does — builder none, wait-until applied —
// and shows v2's rollout as `greenlight watch` does, with Flagger's Events beneath. Alongside,
// the Backstage dev app (backstage-plugin/dev) shows the rollout, where it can be approved.
// Its traffic is the simulated users (--users, messages per second) plus the real prober.
// Flags: --bad (v2 ships a bug in its code and is rolled back), --users R, --no-approval,
// --no-dev-app, --speed N (default 10: a 10 s analysis interval takes 1 s), --once (exit
// when it ends; without the dev app).
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  abort,
  approve,
  loadProbeFile,
  loadStack,
  readAbort,
  readApproval,
  UserError,
  type RevisionMark,
  type RolloutView,
} from '@greenlight/core';
// The Backstage dev app, and the CLI's own watch: the same lines `greenlight watch` prints.
import { startDevApp, type DevApp } from '@greenlight/backstage-plugin-greenlight-dev';
import { followRollout, rolloutLine, rolloutSummary } from '@greenlight/cli';
import { startProber, type SandboxProber } from '../prober.ts';
import { DEFAULT_USERS_PER_SECOND, startSandbox, type Sandbox } from '../start.ts';
import { followFlaggerEvents } from './flagger-events.ts';
import { actionLog } from './action-log.ts';
import { functionDeployment } from './function-deployment.ts';
import { listenForKeys } from './keys.ts';
import { runAction } from './run-action.ts';
import { signingSecret } from './signing-secret.ts';
import { writeStackWithFault } from './stack-with-fault.ts';

const NAMESPACE = 'openfaas-fn';
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const STACK = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));
/** The action's default probes file, beside the stack file. */
const PROBES = fileURLToPath(new URL('../../../examples/chatbot/probes.yml', import.meta.url));
/** The action's default provider, which the Canary it applies uses. */
const PROVIDER = 'linkerd';
/** v2's bug with --bad: it answers every question with a 500 (examples/chatbot/README.md). */
const BAD = 'fail-questions';
/** Flagger's shortest analysis interval; `--speed` makes it short in real time. */
const INTERVAL = '10s';

const out = (text = '') => process.stdout.write(`${text}\n`);

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      bad: { type: 'boolean', default: false },
      'no-approval': { type: 'boolean', default: false },
      'no-dev-app': { type: 'boolean', default: false },
      speed: { type: 'string', default: '10' },
      users: { type: 'string', default: String(DEFAULT_USERS_PER_SECOND) },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(
      'Usage: npm start -- [--bad] [--users R] [--no-approval] [--no-dev-app] [--speed N] [--once]',
    );
    return 0;
  }
  const speed = Number(values.speed);
  if (!(speed > 0 && speed <= 100)) {
    throw new UserError(`--speed must be a number from 1 to 100, got "${values.speed}"`, {
      field: '--speed',
    });
  }
  const users = Number(values.users);
  if (values.users.trim() === '' || !(users >= 0 && users <= 1000)) {
    throw new UserError(
      `must be a number of messages per second from 0 to 1000, got "${values.users}"`,
      {
        field: '--users',
        hint: 'Give 0 for no simulated users (only the probe), or a rate such as 2',
      },
    );
  }
  const approval = !values['no-approval'];
  const started = Date.now();

  const sandbox = await startSandbox({ speed, users });
  const stopping = new AbortController();
  let cleanup: (() => void)[] = [];
  let devApp: Promise<DevApp | undefined> | undefined;
  let prober: SandboxProber | undefined;
  const stop = async () => {
    for (const step of cleanup) step();
    cleanup = [];
    await (await devApp)?.stop();
    await prober?.close();
    await sandbox.close();
  };
  // Made before anything awaits, so a Ctrl-C at any point ends the demo.
  const aborted = new Promise<undefined>((done) =>
    stopping.signal.addEventListener('abort', () => done(undefined), { once: true }),
  );
  process.once('SIGINT', () => stopping.abort());
  process.once('SIGTERM', () => stopping.abort());

  try {
    const kubeconfigFile = resolve('.greenlight', 'sandbox.kubeconfig');
    await mkdir(dirname(kubeconfigFile), { recursive: true });
    await writeFile(kubeconfigFile, sandbox.api.kubeconfig(), { mode: 0o600 });
    const cli = `KUBECONFIG=${relative(process.cwd(), kubeconfigFile)} npx greenlight`;
    const probe = (await loadProbeFile(PROBES))?.functions.chatbot;
    if (!probe) throw new Error(`${PROBES} has no probe for "chatbot"`);
    if (probe.signingSecret) await signingSecret(sandbox.kube, NAMESPACE, probe.signingSecret);
    const probing = await startProber(sandbox, probeLog(out));
    prober = probing;
    banner(sandbox, probing.url, kubeconfigFile, speed, users);
    // --once is for scripts, which end before anyone could open a page: no dev app then.
    if (!values['no-dev-app'] && !values.once) {
      devApp = startBackstage(sandbox, kubeconfigFile, approval);
    }

    const stack = await loadStack(STACK, process.env);
    const fn = stack.functions.chatbot;
    if (!fn) throw new Error(`${STACK} has no function "chatbot"`);
    const ref = { namespace: NAMESPACE, name: fn.name };
    const by = process.env.USER ?? userInfo().username;

    // v2 with --bad: the same stack with a bug switched on in the chatbot's code.
    let v2Stack = STACK;
    if (values.bad) {
      v2Stack = resolve('.greenlight', 'stack.bad.yml');
      await writeStackWithFault(STACK, v2Stack, fn.name, BAD);
    }
    // One log for both runs, so the no-token note is said once.
    const log = actionLog(out);
    const deploy = async (revision: string, stackFile: string) => {
      out(
        `sandbox: the Greenlight action deploys ${relative(process.cwd(), stackFile)} as revision ${revision} (command: deploy, GITHUB_SHA=${revision})`,
      );
      const { code, outputs } = await runAction({
        inputs: {
          command: 'deploy',
          'stack-file': stackFile,
          functions: fn.name,
          builder: 'none',
          kubeconfig: sandbox.api.kubeconfig(),
          namespace: NAMESPACE,
          interval: INTERVAL,
          // Gateway API (the default) judges by MetricTemplates: they query the sandbox's Prometheus.
          'prometheus-address': sandbox.metricsUrl,
          approval: String(approval),
          ...(approval ? { 'gate-url': sandbox.gateUrl } : {}),
          // The dev app's catalog entity (backstage-plugin/dev/catalog): its Approve counts.
          owner: 'component:default/chatbot',
          'wait-until': 'applied',
          // The example's probes for both stacks (--bad's copy lives in .greenlight/).
          probes: relative(REPO, PROBES),
          // Flagger's probe webhooks go to the real prober (../prober.ts), not the chart's Service.
          'probe-url': probing.url,
        },
        sha: revision,
        actor: by,
        workspace: REPO,
        onLine: log,
        signal: stopping.signal,
      });
      if (stopping.signal.aborted) return;
      if (code !== 0 || outputs.result !== 'applied') {
        throw new Error(
          `the action's deploy of ${revision} ended with exit code ${code} (result ${outputs.result ?? 'none'})`,
        );
      }
    };

    out(
      `sandbox: images are not built here (builder: none — the action deploys the tag ${fn.image.replace(/:[^:/]+$/, '')}:<revision>; the e2e tier builds them with buildah).`,
    );
    if (values.bad) {
      out(
        `sandbox: --bad ships v2 from ${relative(process.cwd(), v2Stack)}: the example stack with DEMO_FAULT=${BAD} in the function's environment — its code answers every question with a 500.`,
      );
    }
    out(
      `sandbox: faas-netes stand-in: ${NAMESPACE}/${fn.name} as the first \`faas-cli deploy\` leaves it; every version after that goes through the action.`,
    );
    await sandbox.kube.apply(functionDeployment(fn, NAMESPACE) as KubernetesObject);

    let lastHalt: string | undefined;
    let rolling = false;
    const verdict = new Promise<RolloutView>((resolveVerdict, rejectVerdict) => {
      let last = '';
      let asked = false;
      const follower = followRollout(sandbox.kubeconfig, ref, PROVIDER, (view) => {
        if (!view) return;
        if (!rolling) {
          if (view.phase !== 'Initialized') return;
          out(`sandbox: v1 serves all traffic as the primary (blue).`);
          out(
            `sandbox: rolling out v2 (${values.bad ? `a bad version: DEMO_FAULT=${BAD}` : 'a healthy version'}) — green takes traffic from blue step by step${approval ? ', then waits for approval' : ''}.`,
          );
          rolling = true;
          deploy('v2', v2Stack).catch(rejectVerdict);
          return;
        }
        if (view.revision !== 'v2') return;
        const line = rolloutLine(view);
        const withoutTime = line.slice(line.indexOf(' ') + 1);
        if (withoutTime !== last) process.stdout.write(line);
        last = withoutTime;
        if (view.waitingForApproval && !asked) {
          asked = true;
          out();
          out(
            devApp
              ? "  Approval needed. Press Approve on the chatbot's Rollout tab in the Backstage dev app, or from a second terminal run:"
              : '  Approval needed. From a second terminal, run:',
          );
          out(`    ${cli} approve ${NAMESPACE}/${fn.name}`);
          out(
            process.stdin.isTTY
              ? '  or press a here to approve, r to roll back.'
              : `  (or ${cli} abort ${NAMESPACE}/${fn.name} to roll it back)`,
          );
          out('  In a workflow, a job running the action with command: promote does the same.');
          out();
        }
        if (view.verdict === 'succeeded' || view.verdict === 'failed') resolveVerdict(view);
      });
      follower.ready.then(() => deploy('v1', STACK)).catch(rejectVerdict);
      cleanup.push(() => follower.stop());
      const events = followFlaggerEvents(sandbox.kubeconfig, ref, ({ type, message }) => {
        if (!rolling) return;
        if (message.startsWith('Halt ') && !message.includes('approval')) lastHalt = message;
        out(`    flagger${type === 'Warning' ? ' (warning)' : ''}: ${message}`);
      });
      events.ready.catch(rejectVerdict);
      cleanup.push(() => events.stop());
    });

    const keys = listenForKeys({
      a: () =>
        // The identity recorded is the sandbox API's user for its token; the key's presser a note.
        void approve(sandbox.kube, ref, { note: `sandbox demo: ${by} pressed a` }).then(
          ({ revision, canary }) =>
            out(`sandbox: approved revision ${revision} by ${writer(readApproval(canary))}`),
          (error: Error) => out(`sandbox: could not approve: ${error.message}`),
        ),
      r: () =>
        void abort(sandbox.kube, ref, { note: `sandbox demo: ${by} pressed r` }).then(
          ({ revision, canary }) =>
            out(`sandbox: rollback of revision ${revision} asked by ${writer(readAbort(canary))}`),
          (error: Error) => out(`sandbox: could not roll back: ${error.message}`),
        ),
    });
    if (keys) cleanup.push(() => keys.stop());

    const view = await Promise.race([verdict, aborted]);
    if (view) {
      // Flagger's last Events of the run land just after the final status.
      await new Promise((done) => setTimeout(done, 300));
      out();
      process.stdout.write(rolloutSummary(view));
      if (view.verdict === 'failed' && lastHalt) out(`Why                ${lastHalt}`);
      out();
      out(
        `sandbox: rollout ${view.verdict} ${((Date.now() - started) / 1000).toFixed(1)} s after start.`,
      );
      if (!values.once) {
        out(`sandbox: still running — try ${cli} status ${NAMESPACE}/${fn.name}. Ctrl-C stops it.`);
        await aborted;
      }
    }
    return view?.verdict === 'failed' && !values.bad ? 1 : 0;
  } finally {
    await stop();
    out('sandbox: stopped.');
  }
}

/**
 * The prober's lines, each said once: Flagger calls the rollout probe every iteration, also
 * while v2 waits for approval, and "passed, 25 requests" each second would bury the prompt.
 */
function probeLog(print: (text: string) => void): (line: string) => void {
  let last = '';
  return (line) => {
    const withoutTime = line.replace(/ in \d+ ms$/, '');
    if (withoutTime !== last) print(`sandbox: ${line}`);
    last = withoutTime;
  };
}

/** "sandbox-admin (sandbox demo: ana pressed a)": who the API server says, then the note. */
function writer(mark: RevisionMark | undefined): string {
  const by = mark?.by ?? 'an unknown writer';
  return mark?.note ? `${by} (${mark.note})` : by;
}

/** The Backstage dev app on the sandbox; its failure is told, the demo goes on without it. */
async function startBackstage(
  sandbox: Sandbox,
  kubeconfig: string,
  approval: boolean,
): Promise<DevApp | undefined> {
  const logFile = resolve('.greenlight', 'backstage.log');
  try {
    const app = await startDevApp({
      kubeconfig,
      prometheusUrl: sandbox.metricsUrl,
      metricsSource: 'sandbox',
      logFile,
      log: (line) => out(`sandbox: ${line}`),
    });
    out(`sandbox: Backstage dev app ${app.rolloutUrl('chatbot')}`);
    out(
      `  signs you in as guest; the chatbot's Rollout tab shows v2's rollout${approval ? ' and, once it waits for approval, an Approve button' : ''}. Its log: ${relative(process.cwd(), logFile)}`,
    );
    return app;
  } catch (error) {
    out(
      `sandbox: the Backstage dev app did not start (${(error as Error).message}); see ${relative(process.cwd(), logFile)}. The rollout goes on without it.`,
    );
    return undefined;
  }
}

function banner(
  sandbox: Sandbox,
  probeUrl: string,
  kubeconfigFile: string,
  speed: number,
  users: number,
): void {
  out('Greenlight sandbox — a local stand-in for a cluster with Flagger and Linkerd.');
  out(
    "Not a real cluster: Flagger's behaviour is simulated; each revision's chatbot code runs in this process, and its traffic is simulated users plus the real prober.",
  );
  out(`  Kubernetes API (stand-in)  ${sandbox.api.url}   kubeconfig ${kubeconfigFile}`);
  out(`  greenlight-gate            ${sandbox.gateUrl}`);
  out(`  greenlight-probe           ${probeUrl}`);
  out(`  mesh (Linkerd stand-in)    ${sandbox.mesh.url}/metrics: counts of the chatbots' replies`);
  out(`  Prometheus (stand-in)      ${sandbox.metricsUrl}`);
  out(
    users === 0
      ? '  simulated users            none (--users 0): only the prober talks to the chatbot'
      : `  simulated users            ${users} messages per second of sandbox time (${users * speed} per real second)`,
  );
  out(
    `  analysis interval          ${INTERVAL}, run ${speed}× faster: a step every ${(10 / speed).toFixed(1)} s`,
  );
  out();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`greenlight sandbox: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UserError ? 2 : 1;
  },
);
