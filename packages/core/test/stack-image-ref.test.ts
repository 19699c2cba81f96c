import { describe, expect, it } from '@jest/globals';
import { imageProblem, isDnsLabel } from '../src/index.ts';

describe('image references', () => {
  it.each([
    'chatbot',
    'acme/chatbot',
    'acme/chatbot:1.0.0',
    'localhost:5000/chatbot:latest',
    'ghcr.io/acme/bots/slack-bot:sha-abc123',
    'docker.io/library/node:24-alpine',
    'registry.local:5000/a__b/c-d.e:V1_x',
    `ghcr.io/acme/bot@sha256:${'0'.repeat(64)}`,
    `ghcr.io/acme/bot:1.0@sha256:${'f'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(imageProblem(image)).toBeUndefined();
  });

  it.each([
    ['', 'image is empty'],
    ['Acme/bot', 'invalid image reference "Acme/bot"'],
    ['acme/bot:', 'invalid image reference "acme/bot:"'],
    ['acme//bot', 'invalid image reference "acme//bot"'],
    ['acme/bot:-1', 'invalid image reference "acme/bot:-1"'],
    ['acme/bot@sha256:abc', 'invalid image reference "acme/bot@sha256:abc"'],
    [`acme/${'a'.repeat(255)}`, `invalid image reference "acme/${'a'.repeat(255)}"`],
  ])('refuses %j', (image, message) => {
    expect(imageProblem(image)?.message).toBe(message);
  });
});

describe('function names', () => {
  it('accepts DNS-1123 labels up to 63 characters', () => {
    expect(['a', 'slack-bot', '9lives', 'a'.repeat(63)].every(isDnsLabel)).toBe(true);
  });

  it('refuses capitals, underscores, dots, edge dashes and 64 characters', () => {
    expect(
      ['Bot', 'slack_bot', 'slack.bot', '-bot', 'bot-', 'a'.repeat(64), ''].some(isDnsLabel),
    ).toBe(false);
  });
});
