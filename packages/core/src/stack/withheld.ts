// Environment variables a stack file may not read and a tool the action starts does not get:
// the action's inputs (INPUT_*, where the runner puts `with:` values, the registry password
// and kubeconfig among them), the runner's own credentials (ACTIONS_RUNTIME_TOKEN for the
// cache and artifacts, ACTIONS_ID_TOKEN_REQUEST_TOKEN for OIDC tokens, their URLs) and the
// GitHub tokens a workflow commonly exports. A `${ACTIONS_RUNTIME_TOKEN}` in an annotation
// would otherwise land on the pod template, readable by anyone who may get Deployments.

const PREFIXES = ['INPUT_', 'ACTIONS_'];
const NAMES = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
]);

/** Whether `name` is withheld from `${VAR}` in stack files and from child processes. */
export function isWithheldVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return NAMES.has(upper) || PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** How a person can read the rule, for error messages and docs. */
export const WITHHELD_VARIABLES = 'INPUT_*, ACTIONS_*, GITHUB_TOKEN and GH_TOKEN';
