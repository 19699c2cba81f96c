import type { FunctionProbeInput, TurnInput } from './schema.ts';
import type { FunctionProbe, ProbeExpect, ProbeRequest, ProbeTurn } from './types.ts';

// probes.yml's spelling (webchat / slackCommand / slackEvent keys) to the types the prober
// and the renderer use, and back, for the webhook metadata that carries one function's probe.

/** A function's entry of probes.yml, checked, as a FunctionProbe. */
export function toFunctionProbe(input: FunctionProbeInput): FunctionProbe {
  return {
    path: input.path ?? '/',
    ...(input.signingSecret && {
      signingSecret: { secret: input.signingSecret.secret, key: input.signingSecret.key },
    }),
    conversations: input.conversations.map((conversation) => ({
      name: conversation.name,
      turns: conversation.turns.map(toTurn),
    })),
  };
}

function toTurn(turn: TurnInput): ProbeTurn {
  return { request: toRequest(turn), expect: definedOnly(turn.expect) };
}

function toRequest({ webchat, slackCommand, slackEvent }: TurnInput): ProbeRequest {
  if (webchat) return { kind: 'webchat', ...definedOnly(webchat) };
  if (slackCommand) {
    const { command, text = '', userName } = slackCommand;
    return { kind: 'slack-command', command, text, ...(userName !== undefined && { userName }) };
  }
  // rules.ts made sure a turn has exactly one request.
  return { kind: 'slack-event', event: { ...slackEvent! } };
}

/** A FunctionProbe in probes.yml's spelling: what toFunctionProbe reads back unchanged. */
export function toFunctionProbeInput(probe: FunctionProbe): FunctionProbeInput {
  return {
    path: probe.path,
    ...(probe.signingSecret && { signingSecret: probe.signingSecret }),
    conversations: probe.conversations.map((conversation) => ({
      name: conversation.name,
      turns: conversation.turns.map(({ request, expect }) => ({
        ...requestInput(request),
        expect: definedOnly<ProbeExpect>(expect),
      })),
    })),
  };
}

function requestInput(request: ProbeRequest): Omit<TurnInput, 'expect'> {
  switch (request.kind) {
    case 'webchat':
      return { webchat: definedOnly({ message: request.message, user: request.user }) };
    case 'slack-command':
      return {
        slackCommand: definedOnly({
          command: request.command,
          text: request.text,
          userName: request.userName,
        }),
      };
    case 'slack-event':
      return { slackEvent: request.event as TurnInput['slackEvent'] };
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
