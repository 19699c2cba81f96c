import { expect, test } from '@jest/globals';
import { UserError } from '@greenlight/core';
import {
  BEHAVIOUR_ANNOTATION,
  DEFAULT_BEHAVIOUR,
  behaviourOf,
  parseBehaviour,
} from '../src/metrics/index.ts';

test('reads a success rate and a p99 from the annotation, keeping the tail ratio for p50', () => {
  expect(parseBehaviour('success-rate=82,p99=900')).toEqual({
    successPercent: 82,
    p50Ms: 300,
    p99Ms: 900,
  });
});

test('accepts units, spaces and any order', () => {
  expect(parseBehaviour(' p50 = 20ms , success-rate=97.5% ,p99=400ms')).toEqual({
    successPercent: 97.5,
    p50Ms: 20,
    p99Ms: 400,
  });
});

test('keeps the default behaviour for keys left out', () => {
  expect(parseBehaviour('p99=120')).toEqual(DEFAULT_BEHAVIOUR);
  expect(parseBehaviour('success-rate=50')).toEqual({ ...DEFAULT_BEHAVIOUR, successPercent: 50 });
});

test.each([
  ['', 'is empty'],
  ['success-rate', '"success-rate" is not key=value'],
  ['error-rate=5', '"error-rate" is not a known key'],
  ['p99=1,p99=2', '"p99" is given twice'],
  ['success-rate=lots', 'success-rate "lots" is not a non-negative number (percent)'],
  ['success-rate=0.99x', 'success-rate "0.99x" is not a non-negative number'],
  ['success-rate=120', 'success-rate 120 is above 100 (it is a percentage)'],
  ['p50=500,p99=100', 'p50 500 ms is above p99 100 ms'],
  ['p99=0', 'latencies must be above 0 ms'],
])('refuses %j and says why, naming the annotation', (text, why) => {
  let error: unknown;
  try {
    parseBehaviour(text);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).field).toBe(BEHAVIOUR_ANNOTATION);
  expect((error as UserError).message).toContain(
    `annotation ${BEHAVIOUR_ANNOTATION} "${text}": ${why}`,
  );
  expect((error as UserError).hint).toContain('success-rate=82,p99=900');
});

test('reads the behaviour from the pod template of a Deployment, or the default one', () => {
  const deployment = (annotations?: Record<string, string>) => ({
    metadata: { name: 'chatbot', namespace: 'openfaas-fn' },
    spec: { template: { metadata: { annotations } } },
  });
  expect(behaviourOf(deployment({ [BEHAVIOUR_ANNOTATION]: 'success-rate=82' }))).toMatchObject({
    successPercent: 82,
  });
  expect(behaviourOf(deployment())).toEqual(DEFAULT_BEHAVIOUR);
  expect(() => behaviourOf(deployment({ [BEHAVIOUR_ANNOTATION]: 'fast' }))).toThrow(
    `Deployment openfaas-fn/chatbot: pod-template annotation ${BEHAVIOUR_ANNOTATION} "fast": "fast" is not key=value`,
  );
});
