// The environment of every tool the action starts (docker, buildah, faas-cli, git): the
// step's environment without what only the action may read — its inputs (INPUT_*, the
// registry password and kubeconfig among them), the runner's tokens (ACTIONS_*), GitHub
// tokens, KUBECONFIG (none of these tools talks to the cluster), and any other variable that
// holds one of the secret inputs' values (a workflow that also exports its registry password
// as REGISTRY_PASSWORD). A build runs code from the repository, a Dockerfile's base image,
// a faas-cli template: none of it gets a credential it does not need. What a tool needs is
// passed by the call that needs it: a registry password on stdin (`--password-stdin`), the
// cache token to the one `docker buildx build` that uses the GitHub cache (docker.ts).
import { isWithheldVariable } from '@greenlight/core';

/** The inputs that hold secrets (inputs.ts masks the same ones). */
const SECRET_INPUTS = ['REGISTRY-PASSWORD', 'KUBECONFIG', 'OPENFAAS-PASSWORD', 'GITHUB-TOKEN'];
const ALSO_WITHHELD = new Set(['KUBECONFIG']);

export function childEnvironment(
  extra: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const secrets = new Set(
    SECRET_INPUTS.map((name) => env[`INPUT_${name}`]?.trim()).filter((v): v is string => !!v),
  );
  const child: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isWithheldVariable(name) || ALSO_WITHHELD.has(name)) continue;
    if (secrets.has(value.trim())) continue;
    child[name] = value;
  }
  return { ...child, ...extra };
}
