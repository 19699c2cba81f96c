// Chat probes (docs/probes.md): per function, conversations the bot must answer right, which
// Flagger's probe webhooks carry to the prober.
export { parseProbeFile } from './parse.ts';
export { patternMatches } from './pattern.ts';
export { loadProbeFile } from './load.ts';
export { checkProbesAgainstStack } from './stack-check.ts';
export {
  MAX_PROBE_METADATA_LENGTH,
  MAX_PROBE_REQUEST_TIMEOUT_MS,
  MAX_PROBE_ROUNDS,
  PROBE_METADATA,
  probeFromMetadata,
  probeMetadata,
} from './metadata.ts';
export type { ProbeWebhookRequest } from './metadata.ts';
export {
  MAX_PROBE_RUN_BYTES,
  MAX_PROBE_RUN_REQUESTS,
  probeRunSize,
  runSizeProblem,
} from './run-size.ts';
export type { ProbeRunSize } from './run-size.ts';
export type * from './types.ts';
export { DEFAULT_PROBE_TIMEOUT_MS, replyText, runProbe, targetUrl } from './run.ts';
export type { RunProbeOptions } from './run.ts';
export { buildProbeRequest, PROBE_SLACK, slackSignature } from './request.ts';
export { formatProbeFailure, parseProbeFailure } from './failure-text.ts';
export {
  parseProbeEvent,
  PROBE_EVENT_COMPONENT,
  PROBE_EVENT_REASONS,
  probeProblemEvent,
  probeRunEvent,
} from './events.ts';
export type { ProbeEventRun, ProbeEventText, ProbeWebhook } from './events.ts';
