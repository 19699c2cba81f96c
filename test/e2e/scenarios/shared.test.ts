// The rollout scenarios of test/scenarios — the very ones `npm test` runs on the sandbox —
// against the real Flagger: a fresh control plane per scenario, Flagger's shortest
// interval (10 s) in real time, several scenarios at once (they wait on Flagger's clock,
// not on the CPU).
import { test } from '@jest/globals';
import { KubeScenarioCluster } from '../../scenarios/kube-cluster.ts';
import { SCENARIOS } from '../../scenarios/scenarios.ts';
import { startControlPlane } from '../harness/control-plane.ts';
import { startProber } from '../harness/prober.ts';

/**
 * Where the sandbox and the real Flagger disagree (test/e2e/README.md): these scenarios
 * assert a sequence of Flagger's Events, but Flagger records every Normal event with
 * reason "Synced", and client-go's event correlator merges an identical message into one
 * Event (count + 1) and, past 10 distinct messages of one reason on one object within 10
 * minutes, folds every further one into a single "(combined from similar events): …"
 * Event. The sandbox records each message as its own Event. Each of these must still fail
 * on exactly that, and nothing else: once the sandbox or the scenario is fixed, this test
 * says so and the name comes off the list.
 */
const EVENT_AGGREGATION_DISAGREEMENTS = new Set([
  'promotes a good canary step by step, holding it at max weight until its revision is approved',
  'restarts the analysis when a new revision arrives mid-analysis',
  'runs a blue/green analysis with all traffic on blue, then switches to green and promotes',
]);

function isEventSequenceFailure(error: unknown): boolean {
  const message = (error as Error).message ?? '';
  return /^no event .* after event \d+ in:/.test(message);
}

for (const scenario of SCENARIOS) {
  test.concurrent(scenario.name, async () => {
    const plane = await startControlPlane({ meshProvider: 'linkerd' });
    // The chatbot's users: real messages through the mesh, split by Flagger's route.
    plane.mesh.users.setRate('chatbot', 10);
    const prober = await startProber(plane);
    const cluster = new KubeScenarioCluster({
      probeUrl: prober.url,
      kube: plane.kube,
      gateUrl: plane.gate.url,
      prometheusAddress: plane.prometheus.url,
      interval: '10s',
      intervalMs: 10_000,
      close: async () => {
        await prober.process.stop();
        await plane.stop();
      },
    });
    const known = EVENT_AGGREGATION_DISAGREEMENTS.has(scenario.name);
    let failure: unknown;
    try {
      await scenario.run(cluster);
    } catch (error) {
      failure = error;
    }
    const report = plane.report();
    await cluster.close();
    if (known) {
      if (!failure) {
        throw new Error(
          'this scenario now passes against the real Flagger: take it off EVENT_AGGREGATION_DISAGREEMENTS',
        );
      }
      if (!isEventSequenceFailure(failure)) throw withReport(failure, report);
      return;
    }
    if (failure) throw withReport(failure, report);
  });
}

function withReport(error: unknown, report: string): Error {
  return new Error(`${(error as Error).message}\n\n${report}`, { cause: error });
}
