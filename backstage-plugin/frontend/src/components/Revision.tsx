import { Link } from '@backstage/core-components';

/** A commit SHA as people read it: the first 7 characters. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** A revision (commit SHA), linked to the commit when the entity names its GitHub repo. */
export function Revision({ revision, slug }: { revision?: string; slug?: string }) {
  if (!revision) return <em>unknown</em>;
  const short = shortRevision(revision);
  if (!slug) return <code title={revision}>{short}</code>;
  return (
    <Link to={`https://github.com/${slug}/commit/${encodeURIComponent(revision)}`} title={revision}>
      <code>{short}</code>
    </Link>
  );
}
