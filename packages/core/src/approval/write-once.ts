// An approval or abort is written once, whatever the network does: a write whose answer is a
// 5xx, a 429 or a dropped connection is sent again (the same merge patch, so a repeat changes
// nothing), and when every answer was lost the object is read back to learn whether one of
// them was carried out. The caller then reports either the write, or an error with nothing
// written — never an approval it said had failed, never a second one.
import { KubeApiError } from '../kube/errors.ts';
import { retriable, retrying } from '../kube/retries.ts';

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
