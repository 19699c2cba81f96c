import * as z from 'zod';

// The shape of probes.yml after YAML parsing and before the rules in rules.ts (docs/probes.md).
// Objects are strict so a typo such as `expcet:` is reported, not ignored. The metadata Flagger
// carries to the prober is one function's entry as JSON, checked with the same schema.

// `webchat: hello` is short for `webchat: {message: hello}`.
const webchat = z.preprocess(
  (value) => (typeof value === 'string' ? { message: value } : value),
  z.strictObject({ message: z.string(), user: z.string().optional() }),
);

const slackCommand = z.strictObject({
  command: z.string(),
  text: z.string().optional(),
  userName: z.string().optional(),
});

// Slack's own event object (type, text, user, channel …): its other fields are passed on as written.
const slackEvent = z.looseObject({ type: z.string() });

const turn = z.strictObject({
  webchat: webchat.optional(),
  slackCommand: slackCommand.optional(),
  slackEvent: slackEvent.optional(),
  expect: z.strictObject({
    status: z.number().optional(),
    contains: z.string().optional(),
    matches: z.string().optional(),
  }),
});

/** The request kinds of a turn, as keys of probes.yml; a turn has exactly one. */
export const REQUEST_KEYS = ['webchat', 'slackCommand', 'slackEvent'] as const;

export const functionProbeSchema = z.strictObject({
  path: z.string().optional(),
  signingSecret: z.strictObject({ secret: z.string(), key: z.string() }).optional(),
  conversations: z.array(z.strictObject({ name: z.string(), turns: z.array(turn) })),
});

export const probeFileSchema = z.strictObject({
  // Checked in rules.ts, so that a wrong version reads "write version: 1".
  version: z.unknown(),
  functions: z.record(z.string(), functionProbeSchema),
});

export type FunctionProbeInput = z.infer<typeof functionProbeSchema>;
export type TurnInput = z.infer<typeof turn>;
