// The seam between "a function's build context" and "an image in a registry". One file per
// builder: docker.ts (buildx, hosted runners), buildah.ts (daemonless), none.ts.
import type { RegistryLogin } from '../../inputs/inputs.ts';

export interface BuildRequest {
  /** The function's name; scopes caches and prefixes log lines. */
  name: string;
  /** The folder sent as build context. */
  context: string;
  dockerfile: string;
  /** Full references to push, the first one the revision tag. */
  tags: string[];
  platforms: string[];
  buildArgs: Record<string, string>;
}

export interface BuiltImage {
  /** What the Deployment runs: `repository@sha256:…` when the digest is known, else the first tag. */
  reference: string;
  digest?: string;
}

export interface Builder {
  readonly name: string;
  /** Fails with a UserError when the builder's tool is missing; called before any build. */
  check(): Promise<void>;
  login(login: RegistryLogin): Promise<void>;
  build(request: BuildRequest): Promise<BuiltImage>;
}

/** `repo:tag` + digest → `repo@digest`. */
export function pinned(tag: string, digest: string | undefined): BuiltImage {
  if (!digest) return { reference: tag };
  const repository = tag.slice(0, tag.lastIndexOf(':'));
  return { reference: `${repository}@${digest}`, digest };
}
