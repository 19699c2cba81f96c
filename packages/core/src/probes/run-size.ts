import { buildProbeRequest } from './request.ts';
import type { FunctionProbe } from './types.ts';

// The prober is shared by every team, and Flagger calls it every interval: one run must stay
// small whoever wrote the Canary. A run is every turn of every conversation, `rounds` times,
// so its requests are turns × rounds and its bytes the request bodies' × rounds. probes.yml
// (one round), render (probeRounds) and the prober (the webhook's metadata) all refuse a
// run past either cap, naming the field.

/** The most requests one probe webhook call sends (turns × rounds). */
export const MAX_PROBE_RUN_REQUESTS = 200;

/** The most request-body bytes one call sends (each turn's body × rounds): 256 KiB. */
export const MAX_PROBE_RUN_BYTES = 256 * 1024;

export interface ProbeRunSize {
  turns: number;
  rounds: number;
  /** turns × rounds */
  requests: number;
  /** UTF-8 bytes of every request body sent, as the prober builds them. */
  bytes: number;
}

/** What one call of `probe` with `rounds` sends. */
export function probeRunSize(probe: FunctionProbe, rounds: number): ProbeRunSize {
  let turns = 0;
  let bytes = 0;
  const nowMs = Date.now();
  for (const conversation of probe.conversations) {
    for (const turn of conversation.turns) {
      turns += 1;
      bytes += Buffer.byteLength(buildProbeRequest(turn.request, { nowMs }).body);
    }
  }
  return { turns, rounds, requests: turns * rounds, bytes: bytes * rounds };
}

/** The cap the run breaks, as a clause (`sends 250 requests (50 turns × 5 rounds), more than …`); else undefined. */
export function runSizeProblem(size: ProbeRunSize): string | undefined {
  const per = `${size.turns} turn${size.turns === 1 ? '' : 's'} × ${size.rounds} round${size.rounds === 1 ? '' : 's'}`;
  if (size.requests > MAX_PROBE_RUN_REQUESTS) {
    return `a run sends ${size.requests} requests (${per}), more than the ${MAX_PROBE_RUN_REQUESTS} one run may send`;
  }
  if (size.bytes > MAX_PROBE_RUN_BYTES) {
    return `a run sends ${size.bytes} bytes of requests (${per}), more than the ${MAX_PROBE_RUN_BYTES} one run may send`;
  }
  return undefined;
}
