// An approval or abort is written once, whatever the network does: a write whose answer is a
// 5xx, a 429 or a dropped connection is sent again (the same merge patch, so a repeat changes
// nothing), and when every answer was lost the object is read back to learn whether one of
// them was carried out. The caller then reports either the write, or an error with nothing
// written — never an approval it said had failed, never a second one.
import { KubeApiError } from '../kube/errors.ts';

const ATTEMPTS = 4;
const BACKOFF_MS = 100;

/** Whether the API may not have seen the request, or may answer differently next time. */
export function retriable(error: unknown): boolean {
  if (!(error instanceof KubeApiError)) return false;
  return error.code === undefined || error.code === 429 || error.code >= 500;
}

/** Runs `op` up to four times while it fails retriably (100, 200, 400 ms apart). */
export async function retrying<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= ATTEMPTS || !retriable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}

/**
 * `write`, retried; if it never got an answer through, `landed` reads the object back and
 * returns it when it carries the write (undefined when it does not).
 */
export async function writeOnce<T>(
  write: () => Promise<T>,
  landed: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await retrying(write);
  } catch (error) {
    if (!retriable(error)) throw error;
    let found: T | undefined;
    try {
      found = await retrying(landed);
    } catch (readError) {
      throw new KubeApiError(
        `${(error as Error).message}; whether it was written is unknown, reading it back failed too (${(readError as Error).message}). Reload to see`,
        { code: (error as KubeApiError).code },
      );
    }
    if (found) return found;
    throw error;
  }
}
