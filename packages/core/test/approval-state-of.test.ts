import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary, CanaryPhase } from 'flagger-types';
import {
  approvalPatch,
  approvalStateOf,
  canaryChecksum,
  REVISION_ANNOTATION,
  templateHash,
} from '../src/approval/index.ts';
import type { ApprovalState } from '../src/approval/index.ts';

// How the approval on a Canary relates to the run under analysis and the target read with
// it — the one reading the rollout view and the action's deploy share.

const STARTED = '2026-11-25T10:00:00Z';
const STATUS = { lastAppliedSpec: '5b8d9f7c6d', trackedConfigs: {} };

function target(revision: string, image = 'chatbot:1'): V1Deployment {
  return {
    metadata: { name: 'chatbot', namespace: 'openfaas-fn' },
    spec: {
      selector: {},
      template: {
        metadata: { annotations: { [REVISION_ANNOTATION]: revision } },
        spec: { containers: [{ name: 'chatbot', image }] },
      },
    },
  };
}

function canary(options: {
  phase?: CanaryPhase;
  startedAt?: string;
  approval?: Record<string, string | undefined>;
}): Canary {
  const { phase = 'WaitingPromotion', startedAt = STARTED } = options;
  const annotations = options.approval
    ? (approvalPatch(options.approval as never) as { metadata: { annotations: object } }).metadata
        .annotations
    : {};
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'chatbot', namespace: 'openfaas-fn', annotations },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatbot' } },
    status: {
      ...STATUS,
      phase,
      conditions: [
        {
          type: 'Promoted',
          status: 'Unknown',
          reason: 'Progressing',
          lastTransitionTime: startedAt,
        },
      ],
    },
  } as Canary;
}

/** An approval bound the way core writes one: this run, this checksum, this template. */
const bound = (revision = 'rev-2', deployment = target('rev-2')) => ({
  revision,
  checksum: canaryChecksum(STATUS),
  analysis: STARTED,
  template: templateHash(deployment) as string,
  by: 'approver',
  at: '2026-11-25T10:05:00Z',
});

type Row = [
  promise: string,
  canary: Canary,
  target: V1Deployment | undefined,
  state: ApprovalState | 'none',
];
const rows: Row[] = [
  ['none without an approval', canary({}), target('rev-2'), 'none'],
  [
    'applies when it names this revision, run, checksum and template',
    canary({ approval: bound() }),
    target('rev-2'),
    'applies',
  ],
  [
    'used once its run has ended (promoted or rolled back)',
    canary({ phase: 'Succeeded', approval: bound() }),
    target('rev-2'),
    'used',
  ],
  [
    'used during a later run of the same revision',
    canary({ startedAt: '2026-11-25T11:00:00Z', approval: bound() }),
    target('rev-2'),
    'used',
  ],
  [
    'for another revision when the target holds another one',
    canary({ approval: bound() }),
    target('rev-3'),
    'other-revision',
  ],
  [
    'for another revision when the target cannot be read',
    canary({ approval: bound() }),
    undefined,
    'other-revision',
  ],
  [
    'for another template when the Deployment changed under the same revision',
    canary({ approval: bound() }),
    target('rev-2', 'chatbot:2'),
    'other-template',
  ],
  [
    'for another template when Flagger analyses another checksum',
    canary({ approval: { ...bound(), checksum: 'another' } }),
    target('rev-2'),
    'other-template',
  ],
  [
    'unbound when it names no run, template or approver',
    canary({ approval: { revision: 'rev-2', checksum: canaryChecksum(STATUS), at: STARTED } }),
    target('rev-2'),
    'unbound',
  ],
];

test.each(rows)('the approval state is %s', (_promise, given, deployment, state) => {
  expect(approvalStateOf(given, deployment)).toBe(state);
});
