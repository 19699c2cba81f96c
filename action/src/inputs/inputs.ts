// Every input, read and checked before anything is built, pushed or written (the way
// Azure/k8s-deploy validates up front). An error names the input as a workflow spells it
// and says what to write instead.
import {
  CANARY_OPTION_NAMES,
  CANARY_OPTIONS,
  imageProblem,
  OptionError,
  resolveCanaryOptions,
  UserError,
  type CanaryOptionName,
  type CanaryOptions,
  type CanaryOptionsInput,
  type OptionNamer,
} from '@greenlight/core';
import * as core from '@actions/core';
import type { RunContext } from './run-context.ts';
import {
  booleanValue,
  durationValue,
  listValue,
  numberValue,
  oneOfValue,
  urlValue,
} from './input-values.ts';
import { isRevision, REVISION_SHAPE } from './revision-value.ts';

export const COMMANDS = ['deploy', 'promote', 'abort', 'rollback', 'status', 'plan'] as const;
export const BUILDERS = ['docker', 'buildah', 'none'] as const;
export const TARGETS = ['kubernetes', 'openfaas'] as const;
export const WAIT_UNTIL = ['applied', 'awaiting-approval', 'done'] as const;

export type Command = (typeof COMMANDS)[number];
export type BuilderName = (typeof BUILDERS)[number];
export type TargetName = (typeof TARGETS)[number];
export type WaitUntil = (typeof WAIT_UNTIL)[number];

export interface RegistryLogin {
  /** The registry host, e.g. `ghcr.io`. */
  host: string;
  username: string;
  password: string;
}

export interface OpenFaasGateway {
  url: string;
  username: string;
  password: string;
}

export interface Inputs {
  command: Command;
  stackFile: string;
  /** The probes file named by the `probes` input; absent: probes.yml beside the stack file, if any. */
  probesFile?: string;
  /** Names or globs; empty selects every function. */
  functions: string[];
  changedOnly: boolean;
  builder: BuilderName;
  /** Replaces the registry and owner of each function's image, e.g. `ghcr.io/acme`. */
  registry?: string;
  login?: RegistryLogin;
  /** Extra tags besides the revision. */
  tags: string[];
  platforms: string[];
  target: TargetName;
  /** The text of a kubeconfig (a secret); absent: KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  openfaas?: OpenFaasGateway;
  canary: CanaryOptions;
  /**
   * The canary options as the workflow gave them, before defaults: a function whose Canary
   * exists re-resolves them with its live provider when `provider` is absent (core's
   * chooseProvider, through apply/provider.ts).
   */
  canaryGiven: Partial<CanaryOptionsInput>;
  waitUntil: WaitUntil;
  timeoutMs: number;
  /**
   * deploy: the commit shipped; promote/abort: the revision meant (default: under analysis);
   * rollback: the recorded revision to bring back (default: the one promoted before).
   */
  revision?: string;
  /** rollback: promote without an analysis (spec.skipAnalysis for that run). */
  skipAnalysis: boolean;
  prometheusUrl?: string;
  portalUrl?: string;
  githubToken?: string;
  environment: string;
  failOnSuperseded: boolean;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const TAG = /^[\w][\w.-]{0,127}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const FUNCTION_PATTERN = /^[a-z0-9*][-a-z0-9*]*$/;

export function readInputs(
  context: RunContext,
  input: (name: string) => string = (name) => core.getInput(name),
): Inputs {
  // Mask secrets first, so no later error message can print one.
  for (const name of ['registry-password', 'kubeconfig', 'openfaas-password', 'github-token']) {
    // The runner matches masks within one log line, so a multi-line secret (a kubeconfig)
    // is masked line by line.
    for (const line of input(name).split(/\r?\n/)) if (line.trim()) core.setSecret(line);
  }
  const command = oneOfValue('command', input('command'), COMMANDS, 'deploy');
  const canaryGiven = givenCanaryOptions(input);
  const canary = canaryOptions(canaryGiven);
  const waitUntil = oneOfValue(
    'wait-until',
    input('wait-until'),
    WAIT_UNTIL,
    canary.approval ? 'awaiting-approval' : 'done',
  );
  if (waitUntil === 'awaiting-approval' && !canary.approval) {
    throw new UserError('is awaiting-approval, but approval is off, so no canary ever waits', {
      field: 'wait-until',
      hint: 'Set approval: true, or wait-until: done',
    });
  }
  const builder = oneOfValue('builder', input('builder'), BUILDERS, 'docker');
  const target = oneOfValue('target', input('target'), TARGETS, 'kubernetes');
  const registry = registryValue(input('registry'));
  return {
    command,
    stackFile: input('stack-file') || 'stack.yml',
    ...optional('probesFile', input('probes') || undefined),
    functions: functionPatterns(input('functions')),
    changedOnly: booleanValue('changed-only', input('changed-only'), false),
    builder,
    ...(registry ? { registry } : {}),
    ...optional('login', registryLogin(input, registry)),
    tags: tags(input('tags')),
    platforms: platforms(input('platforms')),
    target,
    ...optional('kubeconfig', kubeconfigValue(input('kubeconfig'))),
    ...optional('openfaas', gateway(input, target)),
    canary,
    canaryGiven,
    waitUntil,
    timeoutMs: durationValue('timeout', input('timeout'), DEFAULT_TIMEOUT_MS),
    ...optional('revision', revisionValue(input('revision'), command, context)),
    ...optional('prometheusUrl', urlValue('prometheus-url', input('prometheus-url'))),
    ...optional('portalUrl', urlValue('portal-url', input('portal-url'))),
    ...optional('githubToken', input('github-token') || undefined),
    environment: environmentValue(input('environment')),
    failOnSuperseded: booleanValue('fail-on-superseded', input('fail-on-superseded'), false),
    skipAnalysis: skipAnalysisValue(input('skip-analysis'), command),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// The canary options and their input names are core's list (CANARY_OPTIONS); an option
// the action does not offer (its `input` is null) keeps core's default.
function givenCanaryOptions(input: (name: string) => string): Partial<CanaryOptionsInput> {
  const given: Record<string, unknown> = {};
  for (const option of CANARY_OPTION_NAMES) {
    const { input: name, type } = CANARY_OPTIONS[option];
    const raw = name === null ? '' : input(name);
    if (name === null || raw === '') continue;
    given[option] =
      type === 'number'
        ? numberValue(raw)
        : type === 'numbers'
          ? listValue(raw).map(numberValue)
          : type === 'switch'
            ? booleanValue(name, raw, false)
            : raw;
  }
  return given as Partial<CanaryOptionsInput>;
}

function canaryOptions(given: Partial<CanaryOptionsInput>): CanaryOptions {
  try {
    return resolveCanaryOptions(given);
  } catch (err) {
    throw spelledAsInputs(err);
  }
}

/** Core's error about an option, naming the input; other errors as they are. */
export function spelledAsInputs(err: unknown): unknown {
  return err instanceof OptionError ? err.spelled(INPUT_NAMES) : err;
}

/** How a workflow spells an option in core's errors: `step-weight`, `strategy: canary`. */
const INPUT_NAMES: OptionNamer = (option, value) => {
  // Not a canary option: where the action reads probes from, named in core's blue/green refusal.
  if (option === 'probes')
    return 'the probes file (input probes, default probes.yml beside the stack file)';
  const name = CANARY_OPTIONS[option as CanaryOptionName]?.input ?? option;
  return value === undefined ? name : `${name}: ${value}`;
};

function functionPatterns(raw: string): string[] {
  const patterns = listValue(raw);
  for (const pattern of patterns) {
    if (!FUNCTION_PATTERN.test(pattern)) {
      throw new UserError(`"${pattern}" is not a function name or glob`, {
        field: 'functions',
        hint: 'List names from the stack file, one per line or comma-separated; * matches any run of characters',
      });
    }
  }
  return patterns;
}

function registryValue(raw: string): string | undefined {
  if (raw === '') return undefined;
  const registry = raw.replace(/\/+$/, '');
  const problem = imageProblem(`${registry}/function`);
  if (problem || raw.includes('://')) {
    throw new UserError(`"${raw}" is not a registry and owner to push to`, {
      field: 'registry',
      hint: 'Write it without scheme or tag, e.g. ghcr.io/acme or localhost:5000',
    });
  }
  return registry;
}

function registryLogin(
  input: (name: string) => string,
  registry: string | undefined,
): RegistryLogin | undefined {
  const username = input('registry-username');
  const password = input('registry-password');
  if (!username && !password) return undefined;
  if (!username || !password) {
    throw new UserError('needs both registry-username and registry-password', {
      field: username ? 'registry-password' : 'registry-username',
      hint: 'Set both to log in to the registry, or neither when the runner is already logged in',
    });
  }
  if (!registry) {
    throw new UserError('is set, but registry is not, so there is nothing to log in to', {
      field: 'registry-username',
      hint: 'Set registry, e.g. registry: ghcr.io/${{ github.repository_owner }}',
    });
  }
  return { host: registry.split('/')[0] as string, username, password };
}

function tags(raw: string): string[] {
  const list = listValue(raw);
  for (const tag of list) {
    if (!TAG.test(tag)) {
      throw new UserError(`"${tag}" is not a valid image tag`, {
        field: 'tags',
        hint: "A tag has up to 128 letters, digits, '_', '.', '-' and does not start with '.' or '-'",
      });
    }
  }
  return list;
}

function platforms(raw: string): string[] {
  const list = listValue(raw);
  for (const platform of list) {
    if (!PLATFORM.test(platform)) {
      throw new UserError(`"${platform}" is not a platform`, {
        field: 'platforms',
        hint: 'Write os/arch[/variant], e.g. linux/amd64,linux/arm64',
      });
    }
  }
  return list;
}

function kubeconfigValue(raw: string): string | undefined {
  if (raw === '') return undefined;
  // A path instead of the file's text is the usual slip; the text is checked when loaded.
  if (!/\bclusters\s*:/.test(raw)) {
    throw new UserError('is not a kubeconfig: it has no clusters', {
      field: 'kubeconfig',
      hint: 'Pass the text of the kubeconfig file from a secret: kubeconfig: ${{ secrets.KUBECONFIG }}',
    });
  }
  return raw;
}

function gateway(input: (name: string) => string, target: TargetName): OpenFaasGateway | undefined {
  const url = urlValue('openfaas-url', input('openfaas-url'));
  if (target !== 'openfaas') return undefined;
  const password = input('openfaas-password');
  if (!url || !password) {
    throw new UserError('target openfaas needs the gateway URL and its admin password', {
      field: url ? 'openfaas-password' : 'openfaas-url',
      hint: 'Set openfaas-url (e.g. https://gateway.example.com) and openfaas-password: ${{ secrets.OPENFAAS_PASSWORD }}',
    });
  }
  return { url, username: input('openfaas-username') || 'admin', password };
}

function revisionValue(raw: string, command: Command, context: RunContext): string | undefined {
  if (raw !== '' && !isRevision(raw)) {
    throw new UserError(`"${raw}" is not a revision`, {
      field: 'revision',
      hint: `Give ${REVISION_SHAPE}, or leave it out`,
    });
  }
  if (raw !== '') return raw;
  if (command !== 'deploy') return undefined;
  if (!context.sha) {
    throw new UserError('is not set and GITHUB_SHA is empty, so the deploy has no revision', {
      field: 'revision',
      hint: 'Run the action in a workflow, or pass revision: <commit>',
    });
  }
  return context.sha;
}

function skipAnalysisValue(raw: string, command: Command): boolean {
  const skip = booleanValue('skip-analysis', raw, false);
  if (skip && command !== 'rollback') {
    throw new UserError(`is for command: rollback only, and this is command: ${command}`, {
      field: 'skip-analysis',
      hint: 'Leave skip-analysis out; a deploy is always analysed',
    });
  }
  return skip;
}

function environmentValue(raw: string): string {
  if (raw === '') return 'production';
  if (/^[\w.-]{1,100}$/.test(raw)) return raw;
  throw new UserError(`"${raw}" is not an environment name`, {
    field: 'environment',
    hint: 'Use letters, digits, ".", "_" and "-", e.g. production',
  });
}
