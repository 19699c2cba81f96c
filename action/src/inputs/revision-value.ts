// What a revision may look like, wherever it comes from: the `revision` input, the
// pull request's base, or the annotation on a Deployment in the cluster. A revision ends
// up in a git command line, an image tag and an annotation; anyone who may write a
// Deployment can write the annotation, so a value read back from the cluster is checked
// like an input before git sees it (and git gets it after --end-of-options besides).
// Letters, digits, ".", "_", "-", not starting with "-" (git would read an option).
const REVISION = /^[\w.][\w.-]{0,127}$/;

export function isRevision(value: string): boolean {
  return REVISION.test(value);
}

export const REVISION_SHAPE =
  'a commit SHA or tag: letters, digits, ".", "_", "-", not starting with "-"';
