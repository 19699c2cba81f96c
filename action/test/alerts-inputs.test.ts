// The action's alerts and cluster-name inputs reach core's alert destinations, and a bad one
// names the input and the fix (more cases: test/reliability/bad-inputs/action-inputs.cases.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { UserError } from '@greenlight/core';
import { readInputs } from '../src/inputs/inputs.ts';
import { readRunContext } from '../src/inputs/run-context.ts';

const declared = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const read = (given: Record<string, string>) =>
  readInputs(
    readRunContext({ GITHUB_SHA: '3f2c1ab' }),
    (name) => given[name] ?? declared.inputs[name]?.default ?? '',
  );

function refusal(given: Record<string, string>): UserError {
  try {
    read(given);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`accepted ${JSON.stringify(given)}`);
}

describe('the alerts inputs', () => {
  test('become the Canary options core renders AlertProviders from', () => {
    const { canary } = read({
      alerts: 'slack:rollouts-webhook#deploys@warn, msteams:teams-webhook',
      'cluster-name': 'prod-eu',
    });
    expect(canary.alerts).toEqual([
      { type: 'slack', secret: 'rollouts-webhook', channel: 'deploys', severity: 'warn' },
      { type: 'msteams', secret: 'teams-webhook', severity: 'info' },
    ]);
    expect(canary.clusterName).toBe('prod-eu');
  });

  test('a webhook URL is refused, naming the input, and not repeated', () => {
    const error = refusal({ alerts: 'slack:https://hooks.slack.com/services/T0/B0/not-for-logs' });
    expect(error.field).toBe('alerts');
    expect(error.message).toContain('takes no webhook URL');
    expect(error.hint).toContain('give alerts: slack:rollouts-webhook');
    expect(`${error.message} ${error.hint}`).not.toContain('not-for-logs');
  });

  test('cluster-name alone is refused, saying to add alerts', () => {
    const error = refusal({ 'cluster-name': 'prod-eu' });
    expect(error.field).toBe('cluster-name');
    expect(error.hint).toContain('Add alerts: slack:');
  });
});
