// An approval promotes exactly the pod template a person approved, once — on the real
// Flagger, whose webhook checksum (canaryChecksum) is what core's checksum must equal.
// The attacker here may only patch Deployments: after v2 was approved and promoted, they
// put another image under the same `greenlight.dev/revision: rev-2`.
import type { V1Deployment } from '@kubernetes/client-node';
import { approve, canaryChecksum, readApproval } from '@greenlight/core';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploy, deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import { scenario as withReport } from '../harness/report.ts';

const NAME = 'chatbot';
const REF = { namespace: FUNCTIONS_NAMESPACE, name: NAME };
/** Flagger's analysis interval in these Canaries. */
const INTERVAL_MS = 10_000;

let plane: ControlPlane;
let rollout: RolloutWatch;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's TrafficSplit.
  plane.mesh.users.setRate(NAME, 10);
  await deploy(plane, { name: NAME, revision: 'rev-1' });
  await rollout.until('Initialized');
}, 240_000);

afterAll(async () => {
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const deployment = (name: string) =>
  plane.kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: FUNCTIONS_NAMESPACE,
    name,
  });

scenario(
  'an approval records the checksum the real Flagger sends, and only that analysis is promoted',
  async () => {
    await deploy(plane, { name: NAME, revision: 'rev-2' });
    await rollout.until('WaitingPromotion');

    const { canary } = await approve(plane.kube, REF, { note: 'e2e' });
    const approval = readApproval(canary);
    // The binding is to Flagger's own checksum: were core's hash not Go's, the gate would
    // refuse this approval forever and the next line would time out.
    expect(approval?.checksum).toBe(canaryChecksum(rollout.canary?.status));
    await rollout.until('Succeeded');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
  },
);

scenario(
  'another image under the same revision annotation after the promotion is held: the approval was used',
  async () => {
    const from = rollout.phases.length;
    const target = await deployment(NAME);
    const container = target?.spec?.template.spec?.containers[0];
    // A plain Deployment write, as someone who may only patch Deployments would make it.
    await plane.kube.mergePatch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: FUNCTIONS_NAMESPACE, name: NAME },
      {
        spec: {
          template: {
            spec: { containers: [{ ...container, image: `127.0.0.1:5000/${NAME}:attacker` }] },
          },
        },
      },
    );
    await rollout.until('WaitingPromotion');
    await sleep(3 * INTERVAL_MS);

    expect(rollout.phase).toBe('WaitingPromotion');
    expect(rollout.since(from)).not.toContain('Promoting');
    const primary = await deployment(`${NAME}-primary`);
    expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(`127.0.0.1:5000/${NAME}:rev-2`);
    expect(await rollout.events()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GatePromotionRefused: .*revision rev-2.*earlier analysis/),
      ]),
    );

    // A person who looks and approves this analysis promotes it: the hold was the binding.
    await approve(plane.kube, REF, { note: 'e2e, after checking the new image' });
    await rollout.until('Succeeded');
    const promoted = await deployment(`${NAME}-primary`);
    expect(promoted?.spec?.template.spec?.containers[0]?.image).toBe(
      `127.0.0.1:5000/${NAME}:attacker`,
    );
  },
);
