// What an Approve or Roll back button acts on, carried in its `value`: one Canary, one
// revision and one analysis run. A click is refused unless that is still what Flagger
// analyses (core's MarkOptions.revision and .analysis), so a click on an old message never
// approves a newer deploy.

export interface ClickValue {
  cluster: string;
  namespace: string;
  name: string;
  revision: string;
  /** Flagger's checksum of the analysis the message showed. */
  checksum: string;
  /** When that analysis began. */
  analysis: string;
}

const FIELDS = ['cluster', 'namespace', 'name', 'revision', 'checksum', 'analysis'] as const;

/** The value of a button Greenlight rendered, or undefined for anything else. */
export function parseClickValue(value: unknown): ClickValue | undefined {
  if (typeof value !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  if (!FIELDS.every((field) => typeof record[field] === 'string' && record[field] !== '')) {
    return undefined;
  }
  return Object.fromEntries(FIELDS.map((field) => [field, record[field]])) as unknown as ClickValue;
}
