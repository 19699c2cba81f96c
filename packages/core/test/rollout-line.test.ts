import { rolloutParts, type MarkView, type RolloutView } from '../src/rollout/index.ts';

// The action's log and the CLI's watch print these parts, one wording for both.
const SHA = '3f2c1e9d8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d';
const view: RolloutView = {
  namespace: 'openfaas-fn',
  name: 'chatbot',
  phase: 'WaitingPromotion',
  provider: 'linkerd',
  strategy: 'canary',
  revision: SHA,
  weights: { green: 50, blue: 50, source: 'route' },
  step: { current: 5, total: 5 },
  failedChecks: 1,
  threshold: 5,
  waitingForApproval: false,
  verdict: 'in-progress',
  reason: '',
};
const NO_DATA = { successRate: null, rps: null, p50Ms: null, p95Ms: null, p99Ms: null };
const approval = (state: MarkView['state']): MarkView => ({
  revision: SHA,
  by: 'system:serviceaccount:ci:promoter',
  note: 'github:octocat',
  matchesRevision: true,
  state,
});

test('names phase, weights, step, golden signals and failed checks, in that order', () => {
  expect(rolloutParts(view, { green: { ...NO_DATA, successRate: 99.84, p99Ms: 111.6 } })).toEqual([
    'WaitingPromotion',
    'green 50% / blue 50%',
    'step 5/5',
    'success 99.8%',
    'p99 112ms',
    'failed checks 1/5',
  ]);
});

test('names the short revision only when asked', () => {
  expect(rolloutParts(view, { revision: true })).toContain('rev 3f2c1e9');
  expect(rolloutParts(view).join(' ')).not.toContain('rev ');
});

test('says an approval that promotes is approved, and why any other does not', () => {
  const who = 'system:serviceaccount:ci:promoter (github:octocat)';
  expect(rolloutParts({ ...view, approval: approval('applies') }).at(-1)).toBe(
    `approved by ${who}`,
  );
  expect(rolloutParts({ ...view, approval: approval('used') }).at(-1)).toBe(
    `approval by ${who} used: promoted or rolled back an earlier analysis`,
  );
  expect(rolloutParts({ ...view, approval: approval('unbound') }).at(-1)).toBe(
    `approval by ${who} unbound: it names no analysis, so it promotes nothing; approve again`,
  );
});

test('leaves out an approval of another revision, and says when one is awaited', () => {
  const other = { ...approval('other-revision'), matchesRevision: false };
  const parts = rolloutParts({ ...view, waitingForApproval: true, approval: other });
  expect(parts.at(-1)).toBe('awaiting approval');
});
