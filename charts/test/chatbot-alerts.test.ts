// The chatbot chart's alerts.destinations refused as core's `alerts` option is (the same
// rules, in the chart's words), and a webhook URL given by mistake never repeated.
import { describe, expect, test } from '@jest/globals';
import { template } from './render.ts';

const IMAGE = { image: { repository: 'ghcr.io/acme/chatbot', tag: '3f2c1ab' } };
const withAlerts = (alerts: object) => template('chatbot', { ...IMAGE, alerts });

describe('the chatbot chart refuses bad alerts, naming alerts.destinations and the fix', () => {
  test.each([
    [
      'an unknown type',
      'teams:hook',
      /"teams" in "teams:hook" is not an alert provider of Flagger. Use one of/,
    ],
    [
      'no secret',
      'slack',
      /must name each destination as <type>:<secret>, got "slack". For example/,
    ],
    ['a secret that is no name', 'slack:Hook_1', /"Hook_1" in "slack:Hook_1" is not a Secret name/],
    [
      'a channel for Teams',
      'msteams:hook#general',
      /channel its webhook belongs to. Drop "#general"/,
    ],
    [
      'a bad severity',
      'slack:hook@loud',
      /"@loud" in "slack:hook@loud" is not a severity. Use @info/,
    ],
    ['the same destination twice', 'slack:hook#a, slack:hook#b', /names slack:hook twice/],
  ])('%s', async (_, destinations, message) => {
    const result = await withAlerts({ destinations });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('alerts.destinations');
    expect(result.error).toMatch(message);
  });

  test.each([
    'slack:https://hooks.slack.com/services/T0/B0/SECRET',
    'hooks.slack.com/services/T0/B0/SECRET',
  ])('a webhook URL is refused and never repeated: %s', async (destinations) => {
    const result = await withAlerts({ destinations });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('takes no webhook URL');
    expect(result.error).not.toContain('SECRET');
  });

  test('a cluster name without destinations', async () => {
    const result = await withAlerts({ clusterName: 'prod' });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('alerts.clusterName is only used with alerts.destinations');
  });

  test('a cluster name that is no name, by the schema', async () => {
    const result = await withAlerts({ destinations: 'slack:hook', clusterName: 'prod eu' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/alerts\.clusterName|alerts\/clusterName/);
  });
});
