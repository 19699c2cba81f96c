/**
 * A test for names against `pattern`: a name, or a glob where `*` matches any run of
 * characters and every other character stands for itself (faas-cli's `--filter` uses the
 * same kind of glob). One rule for a stack's functions and for the Canaries the action selects.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}
