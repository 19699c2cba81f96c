import type { Canary, CanaryWebhook } from 'flagger-types';
import type { ProbeWebhook } from '@greenlight/core';
import { ProbeProblem } from './problem.ts';

// Anything in the cluster can POST to the prober, so a payload's metadata proves nothing: it
// could name any conversation, or another bot's signing Secret. Flagger sends exactly the
// metadata of the Canary's own webhook (flagger pkg/controller/webhook.go CallWebhook), so
// the prober runs a payload only when the Canary it names carries a `<phase>` webhook to this
// path with that same metadata, key for key (docs/design.md, "Chat probes").

/** The Canary's own metadata for this webhook, equal to the payload's; else a 403 naming the difference. */
export function canaryOwnMetadata(
  canary: Canary,
  phase: ProbeWebhook,
  path: string,
  sent: Record<string, string>,
): Record<string, string> {
  const id = `Canary ${canary.metadata?.namespace}/${canary.metadata?.name}`;
  const hooks = (canary.spec?.analysis?.webhooks ?? []).filter(
    (hook) => hook.type === phase && pathOf(hook) === path,
  );
  if (hooks.length === 0) {
    throw new ProbeProblem(
      403,
      `${id} has no ${phase} webhook to ${path}, so the prober runs nothing for it: only Flagger, calling the Canary's own probe webhooks, starts a run. Render and apply the Canary with its probe (greenlight render --probes).`,
    );
  }
  for (const hook of hooks) {
    if (differingKey(hook.metadata ?? {}, sent) === undefined) return hook.metadata ?? {};
  }
  const first = hooks[0] as CanaryWebhook;
  const key = differingKey(first.metadata ?? {}, sent) as string;
  throw new ProbeProblem(
    403,
    `The payload's metadata.${key} is not what ${id}'s ${phase} webhook ${first.name} carries, so the prober runs nothing: it runs only the probe the Canary itself holds, as Flagger sends it. Change the conversation in probes.yml, then render and apply the Canary again.`,
  );
}

/** The first key whose value differs between the two maps (in either), or undefined when equal. */
function differingKey(own: Record<string, string>, sent: Record<string, string>) {
  const keys = [...new Set([...Object.keys(own), ...Object.keys(sent)])].sort();
  const at = (map: Record<string, string>, key: string) =>
    Object.hasOwn(map, key) ? map[key] : undefined;
  return keys.find((key) => at(own, key) !== at(sent, key));
}

function pathOf(hook: CanaryWebhook): string | undefined {
  try {
    return new URL(hook.url).pathname;
  } catch {
    return undefined;
  }
}
