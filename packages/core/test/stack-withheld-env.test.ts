import { describe, expect, it } from '@jest/globals';
import { isWithheldVariable, parseStack, UserError } from '../src/index.ts';

// `${VAR}` in a stack file reads the environment as faas-cli does, except the action's inputs
// and the runner's tokens: a reference to one is an error naming the line and the field, never
// a value on the pod template and never a silent empty string.

const FN = (extra: string) =>
  `provider:\n  name: openfaas\nfunctions:\n  slack-bot:\n    lang: dockerfile\n    handler: ./slack-bot\n    image: ghcr.io/acme/slack-bot:1.0\n${extra}`;

// What a runner's environment holds while the action runs.
const RUNNER_ENV = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/oidc',
  'INPUT_REGISTRY-PASSWORD': 'registry-password',
  INPUT_KUBECONFIG: 'apiVersion: v1\nclusters: []',
  GITHUB_TOKEN: 'ghs_token',
  GH_TOKEN: 'ghs_token',
  TEAM: 'support',
};

function refusal(text: string): UserError {
  try {
    parseStack(text, 'stack.yml', RUNNER_ENV);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('the stack was accepted');
}

describe('withheld variables', () => {
  it.each([
    [
      'ACTIONS_RUNTIME_TOKEN',
      '    annotations: {x: "${ACTIONS_RUNTIME_TOKEN}"}\n',
      8,
      'functions.slack-bot.annotations.x',
    ],
    [
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      '    labels:\n      team: ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}\n',
      9,
      'functions.slack-bot.labels.team',
    ],
    [
      'INPUT_KUBECONFIG',
      '    environment:\n      A: "${INPUT_KUBECONFIG:-none}"\n',
      9,
      'functions.slack-bot.environment.A',
    ],
    [
      'GITHUB_TOKEN',
      '    build_args:\n      TOKEN: ${GITHUB_TOKEN}\n',
      9,
      'functions.slack-bot.build_args.TOKEN',
    ],
    ['GH_TOKEN', '    secrets:\n      - ${GH_TOKEN}\n', 9, 'functions.slack-bot.secrets[0]'],
  ])('refuses ${%s} naming its line and field', (name, extra, line, field) => {
    const err = refusal(FN(extra));
    expect({ line: err.line, field: err.field }).toEqual({ line, field });
    expect(err.message).toBe(
      `stack.yml:${line} ${field}: \${${name}} is not read from the environment: INPUT_*, ACTIONS_*, GITHUB_TOKEN and GH_TOKEN hold the action's inputs and the runner's tokens, which a stack file may not copy. Remove the reference, or give the value another name in the step's env: (e.g. MY_VALUE) and write \${MY_VALUE}`,
    );
    for (const secret of ['runtime-token', 'oidc-token', 'ghs_token', 'clusters: []'])
      expect(err.message).not.toContain(secret);
  });

  it('refuses a withheld variable that is not set, rather than substituting nothing', () => {
    const err = refusal(FN('    annotations: {x: "${ACTIONS_CACHE_URL}"}\n'));
    expect(err.field).toBe('functions.slack-bot.annotations.x');
  });

  it('still substitutes every other variable, as faas-cli does', () => {
    const stack = parseStack(
      FN('    labels: {team: "${TEAM}", owner: "${OWNER:-bots}"}\n'),
      'stack.yml',
      RUNNER_ENV,
    );
    expect(stack.functions['slack-bot']?.labels).toEqual({ team: 'support', owner: 'bots' });
  });

  it('leaves a bare $VAR and $$ as faas-cli does', () => {
    const stack = parseStack(
      FN('    labels: {a: "$ACTIONS_RUNTIME_TOKEN", b: "$${GITHUB_TOKEN}"}\n'),
      'stack.yml',
      RUNNER_ENV,
    );
    expect(stack.functions['slack-bot']?.labels).toEqual({
      a: '$ACTIONS_RUNTIME_TOKEN',
      b: '${GITHUB_TOKEN}',
    });
  });

  it('names inputs, runner tokens and GitHub tokens, and nothing a stack file usually reads', () => {
    for (const name of ['INPUT_GITHUB-TOKEN', 'ACTIONS_RESULTS_URL', 'GITHUB_TOKEN', 'GH_TOKEN'])
      expect(isWithheldVariable(name)).toBe(true);
    for (const name of [
      'GITHUB_SHA',
      'GITHUB_REPOSITORY',
      'REGISTRY',
      'TAG',
      'HOME',
      'RUNNER_TEMP',
    ])
      expect(isWithheldVariable(name)).toBe(false);
  });
});
