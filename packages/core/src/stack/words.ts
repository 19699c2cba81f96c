import { isPlainScalar, type IssueWords } from './issues.ts';
import type { YamlPath } from './locate.ts';
import { ADD_A_FUNCTION, fieldOf } from './problem.ts';
import { stackSchema } from './schema.ts';

const EXAMPLE_FUNCTION =
  'lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest';

// Hints for required fields, keyed by the last path segment (function fields) or full path.
const MISSING: Record<string, string> = {
  provider:
    'Add "provider:" with "name: openfaas" (and optionally "gateway: http://127.0.0.1:8080")',
  'provider.name': 'Add "name: openfaas" under provider:',
  functions: ADD_A_FUNCTION,
  lang: 'Set lang: to the build template, e.g. "dockerfile" for a folder with its own Dockerfile',
  handler:
    "Set handler: to the folder with the function's source, relative to the stack file, e.g. ./slack-bot",
  image: 'Set image: to the reference to build and push, e.g. ghcr.io/acme/slack-bot:latest',
  name: 'Add name: to the template entry',
};

/** How a stack file's shape problems are worded (see issues.ts). */
export const STACK_WORDS: IssueWords = {
  schema: stackSchema,
  topLevelNote: '(or x-<name> for your own, e.g. YAML anchors)',
  missingHint: (path) => MISSING[fieldOf(path)] ?? MISSING[String(path.at(-1))],
  wrongType,
  reference: 'See the OpenFaaS stack.yml reference for this field',
};

function wrongType(path: YamlPath, value: unknown, source: string) {
  const key = String(path.at(-1));
  const parent = path.at(-2);
  if (value === null && fieldOf(path) === 'functions') {
    return { message: 'functions is empty', hint: ADD_A_FUNCTION };
  }
  if (value === null && parent === 'functions') {
    return { message: `function "${key}" has no settings`, hint: `Give it ${EXAMPLE_FUNCTION}` };
  }
  if ((parent === 'labels' || parent === 'annotations') && isPlainScalar(value)) {
    return {
      hint: `Quote it: ${key}: "${source}" (Kubernetes ${String(parent).slice(0, -1)} values are strings)`,
    };
  }
  return undefined;
}
