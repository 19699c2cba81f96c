// A core/v1 Event about an object, shaped as client-go's recorder writes one.
import { createHash, randomBytes } from 'node:crypto';
import type { CoreV1Event, KubernetesObject } from '@kubernetes/client-node';
import type { EventInput } from './types.ts';

export const DEFAULT_EVENT_COMPONENT = 'greenlight';

export function buildEvent(
  involved: KubernetesObject,
  input: EventInput,
  now: Date = new Date(),
): CoreV1Event {
  const name = involved.metadata?.name ?? 'object';
  // Events live in the namespace of the object they are about ('default' for cluster-scoped).
  const namespace = involved.metadata?.namespace || 'default';
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const component = input.component ?? DEFAULT_EVENT_COMPONENT;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      // client-go names events `<object>.<hex>`; a random suffix keeps them unique, a keyed
      // one names the same Event on every retry.
      name: `${name}.${input.key ? keyHex(input.key) : randomBytes(8).toString('hex')}`,
      namespace,
    },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name,
      namespace: involved.metadata?.namespace,
      uid: involved.metadata?.uid,
      resourceVersion: involved.metadata?.resourceVersion,
    },
    reason: input.reason,
    message: input.message,
    type: input.type,
    source: { component },
    reportingComponent: component,
    // Strings on the wire; client-node's model types these as Date.
    firstTimestamp: at as unknown as Date,
    lastTimestamp: at as unknown as Date,
    count: 1,
  };
}

function keyHex(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
