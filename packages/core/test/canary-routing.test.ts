// Testers first (Flagger's A/B testing) and sticky conversations (sessionAffinity): what the
// options render and what they refuse. That the real Flagger turns them into the HTTPRoute's
// rules is checked in test/e2e/scenarios/gatewayapi.test.ts.
import { describe, expect, test } from '@jest/globals';
import {
  chooseProvider,
  OptionError,
  providerOf,
  renderCanary,
  resolveCanaryOptions,
  type CanaryOptionsInput,
} from '../src/index.ts';
import { patternMatches } from '../src/probes/pattern.ts';

const analysis = (input: Partial<CanaryOptionsInput>) =>
  renderCanary({ name: 'bot' }, resolveCanaryOptions(input))[0].spec.analysis;

const refusal = (input: Partial<CanaryOptionsInput>) => {
  try {
    resolveCanaryOptions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionError);
    return error as OptionError;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
};

describe('testers first', () => {
  test('a header mark becomes analysis.match with iterations and no weights: Flagger A/B testing', () => {
    const rendered = analysis({ testersHeader: 'X-Slack-Team-Id=T0123', testersIterations: 4 });
    expect(rendered).toMatchObject({
      iterations: 4,
      match: [{ headers: { 'X-Slack-Team-Id': { exact: 'T0123' } } }],
    });
    expect(rendered.stepWeight).toBeUndefined();
    expect(rendered.maxWeight).toBeUndefined();
    expect(rendered.sessionAffinity).toBeUndefined();
  });

  test('iterations default to 10; =~ writes an RE2 pattern as Flagger regex', () => {
    expect(analysis({ testersHeader: 'X-Slack-Team-Id=~^T01' })).toMatchObject({
      iterations: 10,
      match: [{ headers: { 'X-Slack-Team-Id': { regex: '^T01' } } }],
    });
  });

  test('a cookie mark matches the pair among the Cookie header and nothing like it', () => {
    const [header, cookie] = analysis({
      testersHeader: 'X-Team=T1',
      testersCookie: 'gl.tester=y+s',
    }).match as { headers: Record<string, { regex: string }> }[];
    expect(header).toEqual({ headers: { 'X-Team': { exact: 'T1' } } });
    const pattern = cookie!.headers.Cookie!.regex;
    for (const sent of [
      'gl.tester=y+s',
      'a=1; gl.tester=y+s',
      'gl.tester=y+s; b=2',
      'a=1;gl.tester=y+s;b=2',
    ])
      expect(patternMatches(pattern, sent)).toBe(true);
    for (const sent of [
      'glxtester=y+s',
      'gl.tester=yys',
      'xgl.tester=y+s',
      'gl.tester=y+sx',
      'a=gl.tester=y+s',
    ])
      expect(patternMatches(pattern, sent)).toBe(false);
  });

  test.each([
    [{ testersHeader: 'X Team=1' }, 'testersHeader', /RFC 7230 token/],
    [{ testersHeader: 'X-Team' }, 'testersHeader', /name=value/],
    [{ testersHeader: 'X-Team=' }, 'testersHeader', /name=value/],
    [{ testersHeader: 'X-Team=a\nb' }, 'testersHeader', /visible characters/],
    [{ testersHeader: 'X-Team=~(a' }, 'testersHeader', /no RE2 regular expression/],
    [{ testersHeader: 'X-Team=~' }, 'testersHeader', /is empty/],
    [{ testersCookie: 'tester=a;b' }, 'testersCookie', /RFC 6265/],
    [{ testersCookie: 'te ster=a' }, 'testersCookie', /RFC 7230 token/],
    [
      { testersIterations: 3 },
      'testersIterations',
      /only used with testersHeader or testersCookie/,
    ],
    [{ testersHeader: 'X=1', testersIterations: 0 }, 'testersIterations', /at least 1/],
    [{ testersHeader: 'X=1', provider: 'linkerd' }, 'testersHeader', /needs provider: gatewayapi/],
    [
      { testersCookie: 'a=1', strategy: 'blue-green' },
      'strategy',
      /does not go on to a canary or blue\/green/,
    ],
    [{ testersHeader: 'X=1', stepWeight: 10 }, 'stepWeight', /strategy of its own/],
    [{ testersHeader: 'X=1', iterations: 3 }, 'iterations', /strategy of its own/],
    [{ testersHeader: 'X=1', stickyCookie: 'gl' }, 'stickyCookie', /every request reaches/],
  ] as const)('refuses %j, naming %s', (input, field, reason) => {
    const error = refusal(input as Partial<CanaryOptionsInput>);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(reason);
    expect(error.hint).toBeTruthy();
  });

  test('spelled by a surface, the error names its flags', () => {
    const error = refusal({ testersHeader: 'X=1', stepWeight: 10 }).spelled((o, v) =>
      v === undefined ? `--${o}` : `--${o} ${v}`,
    );
    expect(error.message).toContain('--stepWeight: cannot be combined with --testersHeader');
  });
});

describe('sticky conversations', () => {
  test("renders Flagger's sessionAffinity beside the canary's weights", () => {
    expect(analysis({ stickyCookie: 'greenlight-version', stickyMaxAge: 1800 })).toMatchObject({
      stepWeight: 10,
      maxWeight: 50,
      sessionAffinity: { cookieName: 'greenlight-version', maxAge: 1800 },
    });
    expect(analysis({ stickyCookie: 'gl', stepWeights: [5, 50] })).toMatchObject({
      stepWeights: [5, 50],
      sessionAffinity: { cookieName: 'gl' },
    });
    expect(analysis({}).sessionAffinity).toBeUndefined();
  });

  test.each([
    [{ stickyCookie: 'a b' }, 'stickyCookie', /cookie name/],
    [{ stickyCookie: 'gl', provider: 'linkerd' }, 'stickyCookie', /needs provider: gatewayapi/],
    [
      { stickyCookie: 'gl', strategy: 'blue-green', iterations: 3 },
      'stickyCookie',
      /only for strategy: canary/,
    ],
    [{ stickyMaxAge: 60 }, 'stickyMaxAge', /only used with stickyCookie/],
    [{ stickyCookie: 'gl', stickyMaxAge: 1.5 }, 'stickyMaxAge', /integer/],
  ] as const)('refuses %j, naming %s', (input, field, reason) => {
    const error = refusal(input as Partial<CanaryOptionsInput>);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(reason);
  });
});

describe('the provider on upgrade', () => {
  test.each([
    ['gatewayapi:v1', 'gatewayapi'],
    ['gatewayapi:v1beta1', 'gatewayapi'],
    ['linkerd', 'linkerd'],
    ['smi:v1alpha1', 'linkerd'],
    ['istio', undefined],
    [undefined, undefined],
  ])("reads %s on a live Canary as Greenlight's %s", (flagger, greenlight) => {
    expect(providerOf(flagger)).toBe(greenlight);
  });

  test('a live linkerd Canary keeps linkerd (and Flagger builtin metrics) when no provider is given', () => {
    const given = { interval: '1m' };
    const choice = chooseProvider(given, resolveCanaryOptions(given), 'linkerd');
    expect(choice.source).toBe('live');
    expect(choice.options).toEqual(resolveCanaryOptions({ ...given, provider: 'linkerd' }));
    expect(choice.options.prometheusAddress).toBeUndefined();
  });

  test('a given provider wins and says what it changes; no Canary gets the default', () => {
    const given = { provider: 'gatewayapi' as const };
    const resolved = resolveCanaryOptions(given);
    expect(chooseProvider(given, resolved, 'linkerd')).toEqual({
      options: resolved,
      source: 'given',
      changesFrom: 'linkerd',
    });
    expect(chooseProvider(given, resolved, 'gatewayapi:v1beta1')).toEqual({
      options: resolved,
      source: 'given',
    });
    expect(chooseProvider({}, resolveCanaryOptions({}), undefined)).toEqual({
      options: resolveCanaryOptions({}),
      source: 'default',
    });
  });

  test('testers on a live linkerd Canary are refused until the team names gatewayapi', () => {
    const given = { testersHeader: 'X-Team=T1' };
    expect(() => chooseProvider(given, resolveCanaryOptions(given), 'linkerd')).toThrow(
      /testersHeader: needs provider: gatewayapi/,
    );
  });
});
