// The live pages' signal (docs/design.md, Backstage plugin): the backend says which Canary
// changed and the pages showing it load it again through the permission-checked API, so
// the signal names a Canary and carries nothing a permission would hide.

/** The Backstage signals channel on which the backend says a Canary's rollout changed. */
export const ROLLOUT_SIGNAL_CHANNEL = 'greenlight:rollouts';

/** A Canary whose rollout, as the API answers it, changed. */
export interface RolloutSignal {
  cluster: string;
  namespace: string;
  name: string;
  // Index signature: a signal's message is a JsonObject.
  [key: string]: string;
}
