/** Exit codes every command shares, so scripts can tell a bad invocation from a bad rollout. */
export const EXIT = {
  ok: 0,
  /** The rollout failed, or the cluster could not be reached. */
  failure: 1,
  /** Bad flags, bad files, bad options: nothing was changed. */
  usage: 2,
} as const;
