import { describe, expect, test } from '@jest/globals';
import { validateAlertProvider, validateCanary } from 'flagger-types';
import {
  MANAGED_BY_LABEL,
  OptionError,
  renderCanary,
  resolveCanaryOptions,
  type CanaryOptionsInput,
} from '../src/index.ts';

/** The Canary and its AlertProviders (MetricTemplates, which the provider decides, left out). */
function render(input: Partial<CanaryOptionsInput>) {
  const [canary, ...rest] = renderCanary(
    { name: 'chatbot' },
    resolveCanaryOptions({ namespace: 'bots', ...input }),
  );
  return [canary, ...rest.filter((o) => o.kind === 'AlertProvider')] as const;
}

function refusal(input: Partial<CanaryOptionsInput>): OptionError {
  try {
    resolveCanaryOptions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionError);
    return error as OptionError;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('alerts: an AlertProvider per destination, the Canary naming each', () => {
  const [canary, ...rest] = render({
    alerts: 'slack:rollouts-webhook#deploys@warn, msteams:teams-webhook, gchat:chat-webhook@error',
    clusterName: 'prod-eu',
  });

  test("the Canary's analysis.alerts name each provider and severity", () => {
    expect(validateCanary(canary)).toMatchObject({ ok: true });
    expect(canary.spec.analysis?.alerts).toEqual([
      {
        name: 'slack-rollouts-webhook',
        severity: 'warn',
        providerRef: { name: 'chatbot-slack-rollouts-webhook', namespace: 'bots' },
      },
      {
        name: 'msteams-teams-webhook',
        severity: 'info',
        providerRef: { name: 'chatbot-msteams-teams-webhook', namespace: 'bots' },
      },
      {
        name: 'gchat-chat-webhook',
        severity: 'error',
        providerRef: { name: 'chatbot-gchat-chat-webhook', namespace: 'bots' },
      },
    ]);
  });

  test('each AlertProvider takes its URL from a Secret; the cluster names the sender where Flagger posts one', () => {
    expect(rest.map((o) => validateAlertProvider(o).ok)).toEqual([true, true, true]);
    expect(rest).toEqual([
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'AlertProvider',
        metadata: {
          name: 'chatbot-slack-rollouts-webhook',
          namespace: 'bots',
          labels: { ...MANAGED_BY_LABEL, 'greenlight.dev/function': 'chatbot' },
        },
        spec: {
          type: 'slack',
          channel: 'deploys',
          username: 'Flagger (prod-eu)',
          secretRef: { name: 'rollouts-webhook' },
        },
      },
      expect.objectContaining({
        spec: { type: 'msteams', secretRef: { name: 'teams-webhook' } },
      }),
      expect.objectContaining({ spec: { type: 'gchat', secretRef: { name: 'chat-webhook' } } }),
    ]);
    expect(JSON.stringify(rest)).not.toContain('address');
  });

  test('without alerts nothing changes', () => {
    const [plain, ...others] = render({});
    expect(plain.spec.analysis).not.toHaveProperty('alerts');
    expect(others).toEqual([]);
  });

  test('discord and rocket take a channel too', () => {
    const [, discord, rocket] = render({ alerts: 'discord:dc#ops,rocket:rc#ops@error' });
    expect(discord?.spec).toEqual({ type: 'discord', channel: 'ops', secretRef: { name: 'dc' } });
    expect(rocket?.spec).toEqual({ type: 'rocket', channel: 'ops', secretRef: { name: 'rc' } });
  });
});

describe('alerts refused, naming the option and the fix', () => {
  test.each([
    ['a webhook URL', 'slack:https://hooks.slack.com/services/T/B/X', /no webhook URL.*Secret/],
    ['no secret', 'slack', /must name each destination as <type>:<secret>/],
    ['an empty list', ' ', /must list destinations/],
    ['an unknown type', 'teams:hook', /"teams" .* not an alert provider/],
    ['a secret that is no name', 'slack:Hook_1', /"Hook_1" .* not a Secret name/],
    ['a channel for Teams', 'msteams:hook#general', /channel its webhook belongs to/],
    ['a channel for Google Chat', 'gchat:hook#general', /channel its webhook belongs to/],
    ['a bad channel', 'slack:hook#Deploys Now', /not a channel name/],
    ['a bad severity', 'slack:hook@critical', /"@critical" .* not a severity/],
    ['the same destination twice', 'slack:hook#a,slack:hook#b', /names slack:hook twice/],
  ])('%s', (_, alerts, message) => {
    const error = refusal({ alerts });
    expect(error.option).toBe('alerts');
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  test.each([
    'slack:https://hooks.slack.com/services/T/B/SECRET',
    'slack:hooks.slack.com/services/T/B/SECRET',
    'https://hooks.slack.com/services/T/B/SECRET',
  ])('a webhook URL is never echoed back: %s', (alerts) => {
    const error = refusal({ alerts });
    expect(`${error.message} ${error.hint}`).not.toContain('SECRET');
  });

  test('the cluster name needs alerts, and is a name', () => {
    expect(refusal({ clusterName: 'prod' }).message).toMatch(/only used with alerts/);
    const bad = refusal({ alerts: 'slack:hook', clusterName: 'prod eu' });
    expect(bad.option).toBe('clusterName');
  });

  test('a CLI user reads the flags', () => {
    const error = refusal({ alerts: 'slack:hook@loud' }).spelled((o, v) =>
      v === undefined ? `--${o}` : `--${o} ${v}`,
    );
    expect(error.field).toBe('--alerts');
  });
});
