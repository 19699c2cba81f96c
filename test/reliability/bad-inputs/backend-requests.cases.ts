// Requests to the Backstage backend's routes a user's browser (or a script) can get wrong.
// Each is refused with its status and an error whose message names what is wrong (the field,
// revision, entity or Canary) and what to send instead; none writes to the cluster.

export interface BackendCase {
  name: string;
  method: 'GET' | 'POST';
  /** Under /api/greenlight. */
  path: string;
  /** A JSON value, or raw text sent as application/json. */
  body?: unknown;
  raw?: string;
  status: number;
  /** What is wrong, then what to do. */
  says: [string, string];
}

/** The stand-in's rollouts: chatbot awaits approval of c0ffee1; held-bot's c0de002 was aborted. */
export const BACKEND_CLUSTER = {
  chatbot: { revision: 'c0ffee1', promoted: 'beef001' },
  held: { name: 'held-bot', revision: 'c0de002', promoted: 'c0de001' },
};

const NS = 'openfaas-fn';
const approve = (body: unknown, name = 'chatbot') => ({
  method: 'POST' as const,
  path: `/rollouts/${NS}/${name}/approve`,
  body,
});
const abort = (body: unknown) => ({
  method: 'POST' as const,
  path: `/rollouts/${NS}/chatbot/abort`,
  body,
});
const FIX_REVISION = 'send {"revision": "<the revision under analysis>"}';
const rollback = (body: unknown) => ({
  method: 'POST' as const,
  path: `/rollouts/${NS}/chatbot/rollback`,
  body,
});

export const BACKEND_CASES: BackendCase[] = [
  {
    name: 'a rollback without the revision to roll back to',
    ...rollback({}),
    status: 400,
    says: [
      'say which revision to roll back to',
      'send {"revision": "<the revision the button named>"}',
    ],
  },
  {
    name: 'a rollback while a rollout is under way',
    ...rollback({ revision: 'beef000' }),
    status: 409,
    says: [
      'Flagger is rolling out revision c0ffee1 of Canary openfaas-fn/chatbot',
      'greenlight abort openfaas-fn/chatbot',
    ],
  },
  {
    name: 'an approval without a revision',
    ...approve({}),
    status: 400,
    says: ['say which revision to approve', FIX_REVISION],
  },
  {
    name: 'an abort without a revision',
    ...abort({}),
    status: 400,
    says: ['say which revision to abort', FIX_REVISION],
  },
  {
    name: 'a revision that is a number',
    ...approve({ revision: 1234567 }),
    status: 400,
    says: ['say which revision to approve', FIX_REVISION],
  },
  {
    name: 'a blank revision',
    ...approve({ revision: '   ' }),
    status: 400,
    says: ['say which revision to approve', FIX_REVISION],
  },
  {
    name: 'a JSON array for a body',
    ...approve(['c0ffee1']),
    status: 400,
    says: ['say which revision to approve', FIX_REVISION],
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: `/rollouts/${NS}/chatbot/approve`,
    raw: '{"revision": c0ffee1}',
    status: 400,
    says: ['the request body is not valid JSON', FIX_REVISION],
  },
  {
    name: 'approving a revision that is not under analysis',
    ...approve({ revision: 'old0001' }),
    status: 409,
    says: ['revision old0001 is not under analysis', 'Approve revision c0ffee1'],
  },
  {
    name: 'aborting a revision that is not under analysis',
    ...abort({ revision: 'new0003' }),
    status: 409,
    says: ['revision new0003 is not under analysis', 'Abort revision c0ffee1'],
  },
  {
    name: 'a revision with a quote and a newline in it',
    ...approve({ revision: 'c0ffee1"\n; kubectl delete' }),
    status: 409,
    says: ['is not under analysis', 'Approve revision c0ffee1'],
  },
  {
    name: 'approving a revision that was aborted',
    ...approve({ revision: 'c0de002' }, 'held-bot'),
    status: 409,
    says: [
      'revision c0de002 of Canary openfaas-fn/held-bot was aborted',
      'Remove the greenlight.dev/abort-revision annotation',
    ],
  },
  {
    name: 'an entity that does not annotate the Canary',
    ...approve({ revision: 'c0ffee1', entityRef: 'component:default/held-bot' }),
    status: 403,
    says: [
      'component:default/held-bot does not annotate Canary openfaas-fn/chatbot',
      'Send the entityRef of the entity that annotates it, or none',
    ],
  },
  {
    name: 'an entity ref that is not one',
    ...approve({ revision: 'c0ffee1', entityRef: 'not an entity' }),
    status: 403,
    says: ['not an entity does not annotate', 'Send the entityRef of the entity that annotates it'],
  },
  {
    name: 'a Canary that no entity annotates (it may or may not exist: the answer does not say)',
    ...approve({ revision: 'c0ffee1' }, 'chatbott'),
    status: 403,
    says: [
      'no catalog entity annotates Canary openfaas-fn/chatbott',
      'add "greenlight.dev/canary: openfaas-fn/chatbott"',
    ],
  },
  {
    name: 'a cluster that is not configured',
    method: 'POST',
    path: `/rollouts/${NS}/chatbot/approve?cluster=prod`,
    body: { revision: 'c0ffee1' },
    status: 404,
    says: ['there is no cluster "prod" in greenlight.clusters', 'known: sandbox'],
  },
  {
    name: 'a metrics window that is not a Prometheus duration',
    method: 'GET',
    path: '/rollouts?window=5minutes',
    status: 400,
    says: ['window "5minutes" is not a Prometheus duration', 'use e.g. 5m or 1h'],
  },
  {
    name: 'a body over the size limit',
    ...approve({ revision: 'c0ffee1', note: 'x'.repeat(200_000) }),
    status: 413,
    says: ['the request body is over the 102400-byte limit', FIX_REVISION],
  },
];
