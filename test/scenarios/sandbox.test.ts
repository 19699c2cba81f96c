// The rollout scenarios against the sandbox: a fresh one per scenario.
import { afterEach, test } from '@jest/globals';
import type { ScenarioCluster } from './cluster.ts';
import { startSandboxCluster } from './sandbox-cluster.ts';
import { SCENARIOS } from './scenarios.ts';

let cluster: ScenarioCluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

for (const scenario of SCENARIOS) {
  test(
    scenario.name,
    async () => {
      cluster = await startSandboxCluster();
      await scenario.run(cluster);
    },
    15_000,
  );
}
