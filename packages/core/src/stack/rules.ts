import { imageProblem } from './image-ref.ts';
import { isDnsLabel, suggestDnsLabel } from './names.ts';
import { ADD_A_FUNCTION, type Problem } from './problem.ts';

// faas-cli's stack.go: ValidSchemaVersions = ["1.0"].
const VERSIONS = ['1.0'];

/**
 * The rules beyond shape, each broken one a problem. They read the data defensively (the shape
 * may be wrong elsewhere) so that the problem reported first is the first one in the file.
 */
export function checkRules(stack: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  if (typeof stack.version === 'string' && !VERSIONS.includes(stack.version)) {
    problems.push({
      path: ['version'],
      message: `unsupported stack version "${stack.version}"`,
      hint: `Write version: ${VERSIONS.join(' or ')}, or remove the line`,
    });
  }
  if (isRecord(stack.provider)) problems.push(...providerProblems(stack.provider));
  if (!isRecord(stack.functions)) return problems;
  if (Object.keys(stack.functions).length === 0) {
    problems.push({
      path: ['functions'],
      message: 'functions is empty',
      hint: ADD_A_FUNCTION,
    });
  }
  for (const [name, fn] of Object.entries(stack.functions)) {
    if (!isDnsLabel(name)) {
      problems.push({
        path: ['functions', name],
        message: `invalid function name "${name}"`,
        hint: `Use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters, e.g. "${suggestDnsLabel(name)}"`,
      });
    }
    if (!isRecord(fn)) continue;
    const image = typeof fn.image === 'string' ? imageProblem(fn.image) : undefined;
    if (image) problems.push({ path: ['functions', name, 'image'], ...image });
    if (typeof fn.namespace === 'string' && !isDnsLabel(fn.namespace)) {
      problems.push({
        path: ['functions', name, 'namespace'],
        message: `invalid namespace "${fn.namespace}"`,
        hint: `Kubernetes namespaces use lowercase letters, digits and '-', e.g. "${suggestDnsLabel(fn.namespace)}"`,
      });
    }
  }
  return problems;
}

function providerProblems(provider: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  if (typeof provider.name === 'string' && provider.name !== 'openfaas') {
    problems.push({
      path: ['provider', 'name'],
      message: `provider.name must be "openfaas", not "${provider.name}"`,
      hint:
        provider.name === 'faas'
          ? '"faas" is the retired name of the same provider; write name: openfaas'
          : 'Greenlight ships OpenFaaS functions only; write name: openfaas',
    });
  }
  if (typeof provider.gateway === 'string' && !isHttpUrl(provider.gateway)) {
    problems.push({
      path: ['provider', 'gateway'],
      message: `gateway "${provider.gateway}" is not an http(s) URL`,
      hint: 'Write the OpenFaaS gateway URL, e.g. http://127.0.0.1:8080',
    });
  }
  return problems;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
