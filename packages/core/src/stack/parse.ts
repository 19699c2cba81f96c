import { UserError } from '../errors.ts';
import { checkDocument, readYaml } from './document.ts';
import { substituteEnv, type Substitution } from './envsubst.ts';
import { lookupIn, problemsFromIssues } from './issues.ts';
import { pathAtLine, sourceAt } from './locate.ts';
import { fieldOf, firstByLine, type Problem } from './problem.ts';
import { checkRules } from './rules.ts';
import { stringifyTextScalars } from './scalars.ts';
import { stackSchema, type StackInput } from './schema.ts';
import type { Stack, StackEnv, StackFunction } from './types.ts';
import { WITHHELD_VARIABLES } from './withheld.ts';
import { STACK_WORDS } from './words.ts';

/**
 * Reads an OpenFaaS stack file: `${VAR}` substitution as faas-cli does it, YAML, shape, rules.
 * Throws a UserError naming the file, line and field of the first problem and how to fix it.
 */
export function parseStack(text: string, file: string, env: StackEnv = process.env): Stack {
  const substitution = substituteEnv(text, env, file);
  const yaml = readYaml(substitution.text);
  const { doc, lineCounter } = yaml;
  const withheld = substitution.withheld[0];
  if (withheld) {
    const path = pathAtLine(doc, lineCounter, withheld.line);
    throw new UserError(
      `\${${withheld.name}} is not read from the environment: ${WITHHELD_VARIABLES} hold the action's inputs and the runner's tokens, which a stack file may not copy`,
      {
        file,
        line: withheld.line,
        ...(path.length ? { field: fieldOf(path) } : {}),
        hint: `Remove the reference, or give the value another name in the step's env: (e.g. MY_VALUE) and write \${MY_VALUE}`,
      },
    );
  }
  checkDocument(yaml, substitution.text, file, {
    noun: 'stack file',
    emptyHint:
      'Add "provider: {name: openfaas}" and a "functions:" map, as in examples/chatbot/stack.yml',
    mappingHint: 'Start it with "provider:" and "functions:" keys at the left margin',
  });

  stringifyTextScalars(doc);
  const data = withoutExtensions(doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>);
  const parsed = stackSchema.safeParse(data);
  const problems = checkRules(data);
  if (!parsed.success) {
    const lookup = lookupIn(data, (path) => sourceAt(doc, path));
    problems.push(...problemsFromIssues(parsed.error.issues, lookup, STACK_WORDS));
  }
  const first = firstByLine(problems, doc, lineCounter);
  if (first) throw toUserError(first, file, substitution);
  if (!parsed.success) throw new UserError(parsed.error.message, { file }); // unreachable: every issue is a problem
  return toStack(parsed.data, file);
}

function toUserError(
  problem: Problem & { line: number },
  file: string,
  substitution: Substitution,
): UserError {
  // An unset variable is the usual cause of a broken value on that line; say so.
  const unset = substitution.empty.filter((e) => e.line === problem.line).map((e) => e.name);
  const note = unset.length
    ? ` (${unset.map((n) => `\${${n}}`).join(', ')} was unset or empty)`
    : '';
  return new UserError(problem.message, {
    file,
    line: problem.line,
    field: fieldOf(problem.path),
    hint: problem.hint + note,
  });
}

function toStack(input: StackInput, file: string): Stack {
  const functions: Record<string, StackFunction> = {};
  for (const [name, fn] of Object.entries(input.functions)) {
    // faas-cli treats `Dockerfile` as `dockerfile`.
    functions[name] = { name, ...fn, lang: fn.lang === 'Dockerfile' ? 'dockerfile' : fn.lang };
  }
  const { gateway } = input.provider;
  return {
    version: input.version ?? '1.0',
    provider: gateway === undefined ? { name: 'openfaas' } : { name: 'openfaas', gateway },
    functions,
    ...(input.configuration && { configuration: input.configuration }),
    file,
  };
}

// Top-level `x-` keys are extensions, as in Compose files: a place for YAML anchors that
// functions merge with `<<: *defaults`. faas-cli ignores unknown keys, so they stay valid there.
function withoutExtensions(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}
