import type { ProbeFailure } from './types.ts';

// A failed turn as one line: the prober's 422 body (Flagger copies it into its Warning event)
// and the tail of its ProbeFailed Event, read back by the action, the CLI and the portal.
// The conversation, the request and the reply are JSON strings, so a `: `, a `; `, a quote
// or a newline in any of them cannot be taken for a separator; the reason, which a person
// reads first, is the rest of the line as written.

const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const FAILURE = new RegExp(
  String.raw`^conversation (${JSON_STRING}) turn (\d+): sent (${JSON_STRING}); reply (${JSON_STRING}): ([\s\S]*)$`,
);

/**
 * `conversation "greets" turn 2: sent "<request>"; reply "<reply>": <reason>`; one line when
 * the reason is (runProbe's reasons are).
 */
export function formatProbeFailure(failure: ProbeFailure): string {
  const { conversation, turn, request, reply, reason } = failure;
  return `conversation ${JSON.stringify(conversation)} turn ${turn}: sent ${JSON.stringify(request)}; reply ${JSON.stringify(reply)}: ${reason}`;
}

/** The failure formatProbeFailure wrote, or undefined for a text of another shape. Pure. */
export function parseProbeFailure(text: string): ProbeFailure | undefined {
  const match = FAILURE.exec(text);
  if (!match) return undefined;
  const [, conversation, turn, request, reply, reason] = match as unknown as string[];
  try {
    return {
      conversation: JSON.parse(conversation as string) as string,
      turn: Number(turn),
      request: JSON.parse(request as string) as string,
      reply: JSON.parse(reply as string) as string,
      reason: reason as string,
    };
  } catch {
    return undefined; // a quoted part that is not valid JSON (an unknown escape)
  }
}
