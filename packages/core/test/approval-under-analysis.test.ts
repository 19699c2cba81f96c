import { readFileSync } from 'node:fs';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { RevisionError, revisionUnderAnalysis } from '../src/approval/index.ts';

const fixture = <T>(name: string): T =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/approval/${name}.json`, import.meta.url), 'utf8'),
  ) as T;

// The fixture Canary openfaas-fn/chatbot targets Deployment chatbot, whose pod template
// carries revision 3f2c1e9.
const canary = fixture<Canary>('canary');
const target = fixture<V1Deployment>('target');

function unannotated(): V1Deployment {
  const copy = structuredClone(target);
  delete copy.spec?.template.metadata?.annotations?.['greenlight.dev/revision'];
  return copy;
}

function failure(result: string | RevisionError): RevisionError {
  if (!(result instanceof RevisionError)) throw new Error(`expected an error, got ${result}`);
  return result;
}

test('is the revision on the target pod template, whether asked for by name or not', () => {
  expect(revisionUnderAnalysis(canary, target, { verb: 'approve' })).toBe('3f2c1e9');
  expect(revisionUnderAnalysis(canary, target, { verb: 'approve', wanted: ' 3f2c1e9 ' })).toBe(
    '3f2c1e9',
  );
});

test('refuses another revision, naming the field, the one under analysis and the fix', () => {
  const error = failure(
    revisionUnderAnalysis(canary, target, { verb: 'abort', wanted: 'a1b2c3d' }),
  );
  expect(error.problem).toBe('other-revision');
  expect(error.message).toBe(
    'revision: revision a1b2c3d is not under analysis in Canary openfaas-fn/chatbot; revision 3f2c1e9 is. Abort revision 3f2c1e9, or wait for a1b2c3d to be deployed',
  );
});

test("words the fix in the caller's input when it says how", () => {
  const error = failure(
    revisionUnderAnalysis(canary, target, {
      verb: 'promote',
      wanted: 'v9',
      fix: (current) => `Use revision: ${current}`,
    }),
  );
  expect(error.hint).toBe('Use revision: 3f2c1e9, or wait for v9 to be deployed');
});

test('says there is no revision under analysis without a target, or with another one handed in', () => {
  const renamed = { ...target, metadata: { ...target.metadata, name: 'other-bot' } };
  for (const given of [undefined, renamed]) {
    const error = failure(revisionUnderAnalysis(canary, given, { verb: 'approve' }));
    expect(error.problem).toBe('no-target');
    expect(error.message).toBe(
      'the target Deployment openfaas-fn/chatbot of Canary openfaas-fn/chatbot does not exist, so no revision is under analysis. Deploy the function first',
    );
  }
});

test('says which annotation is missing when the target carries no revision', () => {
  const error = failure(revisionUnderAnalysis(canary, unannotated(), { verb: 'approve' }));
  expect(error.problem).toBe('no-revision');
  expect(error.reason).toBe(
    'Deployment openfaas-fn/chatbot has no greenlight.dev/revision annotation on its pod template, so there is no revision to approve',
  );
  expect(error.hint).toMatch(
    /spec\.template\.metadata\.annotations\["greenlight\.dev\/revision"\]/,
  );
});
