// The OpenFaaS stack file ("stack.yml") as Greenlight reads it. Field names and meanings follow
// the OpenFaaS YAML reference (docs.openfaas.com/reference/yaml) and faas-cli's stack/schema.go.

/** CPU and memory as Kubernetes quantities, e.g. `memory: 128Mi`, `cpu: 100m`. */
export interface StackResources {
  memory?: string;
  cpu?: string;
}

export interface StackFunction {
  /** The key under `functions:`; also the Deployment and Service name in `openfaas-fn`. */
  name: string;
  /** The build template, e.g. `dockerfile`, `node20`, `golang-middleware`. */
  lang: string;
  /** The folder with the function's source, relative to the stack file. */
  handler: string;
  /** The image reference to build, push and deploy. */
  image: string;
  namespace?: string;
  environment?: Record<string, string>;
  /** YAML files with an `environment:` map; later files win over earlier ones and inline values. */
  environment_file?: string[];
  /** Names of OpenFaaS secrets mounted under /var/openfaas/secrets/. */
  secrets?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  limits?: StackResources;
  requests?: StackResources;
  build_args?: Record<string, string>;
  build_options?: string[];
  /** Comma-separated build platforms, e.g. `linux/amd64,linux/arm64`. */
  platforms?: string;
  skip_build?: boolean;
  readonly_root_filesystem?: boolean;
  constraints?: string[];
  /** The process the classic watchdog forks; only some templates read it. */
  fprocess?: string;
  /** Build-time secrets (`--secret id=...`) that faas-cli passes to BuildKit. */
  build_secrets?: Record<string, string>;
  /**
   * Greenlight's own key, for `lang: dockerfile`: the Dockerfile's path inside the handler
   * folder when it is not `<handler>/Dockerfile` (e.g. a monorepo image built from the
   * repository root, `handler: .`, `dockerfile: gate/Containerfile`). faas-cli ignores it.
   */
  dockerfile?: string;
}

export interface StackTemplateSource {
  name: string;
  source?: string;
  path?: string;
}

export interface Stack {
  /** Schema version; faas-cli knows only `1.0`, which is also the default. */
  version: string;
  provider: { name: 'openfaas'; gateway?: string };
  /** In the order the file lists them. */
  functions: Record<string, StackFunction>;
  configuration?: { templates?: StackTemplateSource[]; copy?: string[] };
  /** The path the stack was read from, as given; `handler` paths are relative to its folder. */
  file: string;
}

/** The environment `${VAR}` references are read from. */
export type StackEnv = Readonly<Record<string, string | undefined>>;
