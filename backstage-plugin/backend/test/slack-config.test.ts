import { describe, expect, test } from '@jest/globals';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readGreenlightConfig } from '../src/config.ts';
import { routeFor } from '../src/slack/slack-config.ts';

// greenlight.slack: read once at startup; a mistake stops the backend naming the key and the fix.

const clusters = [{ name: 'production', inCluster: true }];
const slack = {
  botToken: 'xoxb-1-abc',
  signingSecret: 'shh',
  channels: [{ namespace: 'openfaas-fn', channel: 'C0BOTS', approvers: { users: ['U0ALICE'] } }],
};
const read = (slackConfig: unknown) =>
  readGreenlightConfig(
    new ConfigReader({ greenlight: { clusters, slack: slackConfig } } as JsonObject),
  );

function refusal(slackConfig: unknown): string {
  try {
    read(slackConfig);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('greenlight.slack', () => {
  test('absent: nothing is posted', () => {
    expect(read(undefined).slack).toBeUndefined();
  });

  test('read with its defaults: a round every 15 s, no user groups', () => {
    expect(read(slack).slack).toEqual({
      botToken: 'xoxb-1-abc',
      signingSecret: 'shh',
      updateIntervalSeconds: 15,
      channels: [
        {
          namespace: 'openfaas-fn',
          channel: 'C0BOTS',
          approvers: { users: ['U0ALICE'], userGroups: [] },
        },
      ],
    });
  });

  test.each([
    [
      { ...slack, botToken: 'xoxp-user-token' },
      /greenlight.slack.botToken is not a bot token.*begins with xoxb-/,
    ],
    [{ ...slack, signingSecret: undefined }, /greenlight.slack.signingSecret/],
    [
      { ...slack, channels: [] },
      /greenlight.slack.channels is empty: add a namespace and the channel ID/,
    ],
    [
      { ...slack, channels: [{ namespace: 'openfaas-fn', channel: '#bots' }] },
      /channels\[0\].channel "#bots" is not a channel ID; give the ID \(e.g. C0123456789/,
    ],
    [
      {
        ...slack,
        channels: [
          { namespace: 'openfaas-fn', channel: 'C0BOTS', approvers: { users: ['alice'] } },
        ],
      },
      /channels\[0\].approvers.users\[0\] "alice" is not a Slack user ID/,
    ],
    [
      {
        ...slack,
        channels: [
          { namespace: 'openfaas-fn', channel: 'C0BOTS', approvers: { userGroups: ['release'] } },
        ],
      },
      /approvers.userGroups\[0\] "release" is not a Slack user group ID/,
    ],
    [
      { ...slack, channels: [{ namespace: 'openfaas-fn', channel: 'C0BOTS', cluster: 'staging' }] },
      /channels\[0\].cluster "staging" is not in greenlight.clusters \(known: production\)/,
    ],
    [{ ...slack, updateIntervalSeconds: 0 }, /updateIntervalSeconds is 0; give at least 1/],
    [{ ...slack, apiUrl: 'slack.com/api' }, /greenlight.slack.apiUrl is not an http\(s\) URL/],
  ])('refuses %#, naming the key and the fix', (config, says) => {
    expect(refusal(config)).toMatch(says);
  });

  test('a route naming the Canary beats its namespace’s; other namespaces are not posted', () => {
    const channels = read({
      ...slack,
      channels: [
        { namespace: 'openfaas-fn', channel: 'C0ALL' },
        { namespace: 'openfaas-fn', canary: 'faq-bot', channel: 'C0FAQ' },
      ],
    }).slack!.channels;
    const where = (name: string, namespace = 'openfaas-fn') => ({
      cluster: 'production',
      namespace,
      name,
    });
    expect(routeFor(channels, where('faq-bot'))?.channel).toBe('C0FAQ');
    expect(routeFor(channels, where('chatbot'))?.channel).toBe('C0ALL');
    expect(routeFor(channels, where('chatbot', 'team-b'))).toBeUndefined();
  });
});
