// The Slack incoming-webhook stand-in refuses what Slack refuses, so the alerts scenario's
// accepted messages mean Slack would have taken them.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startSlackWebhook, type SlackWebhook } from './slack-webhook.ts';

let hook: SlackWebhook;
beforeAll(async () => {
  hook = await startSlackWebhook();
});
afterAll(() => hook.close());

const post = async (body: string, url = hook.url) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return `${res.status} ${await res.text()}`;
};

test('takes a message as Flagger v1.44 posts it (slack.go), and keeps it', async () => {
  const message = {
    channel: 'deploys',
    username: 'flagger',
    icon_url: '',
    icon_emoji: ':rocket:',
    attachments: [
      {
        color: 'good',
        author_name: 'chatbot.openfaas-fn',
        text: 'New revision detected, progressing canary analysis.',
        mrkdwn_in: ['text'],
        fields: [{ title: 'Cluster', value: 'prod', short: false }],
      },
    ],
  };
  expect(await post(JSON.stringify(message))).toBe('200 ok');
  expect(hook.messages.at(-1)).toEqual(message);
  expect(await post(JSON.stringify({ text: 'plain' }))).toBe('200 ok');
});

test.each([
  ['no JSON', 'channel=deploys', '400 invalid_payload'],
  ['nothing to show', '{"channel":"deploys"}', '400 no_text'],
  ['text that is no string', '{"text":7}', '400 invalid_payload'],
  [
    'an attachment with nothing to read',
    '{"attachments":[{"color":"good"}]}',
    '400 invalid_payload',
  ],
  ['empty blocks', '{"blocks":[]}', '400 invalid_payload'],
  [
    "Flagger's msteams MessageCard (teams.go)",
    '{"@type":"MessageCard","summary":"chatbot.openfaas-fn","sections":[{"activityTitle":"x"}]}',
    '400 no_text',
  ],
])('refuses %s', async (_, body, answer) => {
  const accepted = hook.messages.length;
  expect(await post(body)).toBe(answer);
  expect(hook.messages).toHaveLength(accepted);
});

test('answers no_service for any other URL', async () => {
  expect(await post('{"text":"x"}', new URL('/services/T0/B0/guess', hook.url).href)).toBe(
    '404 no_service',
  );
});
