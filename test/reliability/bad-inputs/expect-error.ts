// Shared by the bad-input runners: run cases a few at a time (each is a process or a helm
// run; two cores), and say which promised fragments an error text lacks.

export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return results;
}

/** The fragments of `says` (the field at fault, then the fix) that `text` does not contain. */
export function missing(text: string, says: readonly string[]): string[] {
  return says.filter((fragment) => !text.includes(fragment));
}
