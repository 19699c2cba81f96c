import { globMatcher } from '../src/stack/index.ts';

// One glob for the stack's functions (deploy, plan) and the Canaries promote, abort and
// status select: `*` is any run of characters, everything else stands for itself.
test.each([
  ['chatbot', 'chatbot', true],
  ['chatbot', 'chatbot-v2', false],
  ['chat*', 'chatbot', true],
  ['chat*', 'chat', true],
  ['*-bot', 'orders-bot', true],
  ['*-bot', 'orders-bots', false],
  ['a*b*c', 'axxbyyc', true],
  ['bot.v2', 'botxv2', false],
  ['bot+', 'bott', false],
  ['bot+', 'bot+', true],
  ['(bot)', '(bot)', true],
])('%s matches %s: %s', (pattern, name, matches) => {
  expect(globMatcher(pattern)(name)).toBe(matches);
});
