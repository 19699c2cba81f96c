import { UserError } from '../errors.ts';
import { checkDocument, readYaml } from '../stack/document.ts';
import { lookupIn, problemsFromIssues } from '../stack/issues.ts';
import { lineOf, sourceAt } from '../stack/locate.ts';
import { fieldOf, firstByLine } from '../stack/problem.ts';
import { toFunctionProbe } from './convert.ts';
import { MAX_PROBE_METADATA_LENGTH, probeJson } from './metadata.ts';
import { fileRules } from './rules.ts';
import { probeFileSchema } from './schema.ts';
import type { FunctionProbe, ProbeFile } from './types.ts';
import { probeWords } from './words.ts';

const WORDS = probeWords(probeFileSchema);

/**
 * Reads a probes file (docs/probes.md): YAML, shape, rules. Every problem is found, and the
 * first in the file is thrown as a UserError with its file, line, field and fix, as stack.yml's are.
 */
export function parseProbeFile(text: string, file: string): ProbeFile {
  const yaml = readYaml(text);
  const { doc, lineCounter } = yaml;
  checkDocument(yaml, text, file, {
    noun: 'probes file',
    emptyHint:
      'Start it with "version: 1" and a "functions:" map, as in examples/chatbot/probes.yml',
    mappingHint: 'Start it with "version:" and "functions:" keys at the left margin',
  });

  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  const parsed = probeFileSchema.safeParse(data);
  const problems = fileRules(data);
  if (!parsed.success) {
    const lookup = lookupIn(data, (path) => sourceAt(doc, path));
    problems.push(...problemsFromIssues(parsed.error.issues, lookup, WORDS));
  }
  const first = firstByLine(problems, doc, lineCounter);
  if (first) {
    throw new UserError(first.message, {
      file,
      line: first.line,
      field: fieldOf(first.path),
      hint: first.hint,
    });
  }
  if (!parsed.success) throw new UserError(parsed.error.message, { file }); // unreachable: every issue is a problem
  const functions: Record<string, FunctionProbe> = {};
  const lines: Record<string, number> = {};
  for (const [name, input] of Object.entries(parsed.data.functions)) {
    lines[name] = lineOf(doc, lineCounter, ['functions', name]);
    const probe = toFunctionProbe(input);
    // Refused here, not by the prober in the middle of a rollout.
    const size = probeJson(probe).length;
    if (size > MAX_PROBE_METADATA_LENGTH) {
      throw new UserError(
        `the probe of function "${name}" is ${size} characters as webhook metadata, more than the ${MAX_PROBE_METADATA_LENGTH} the prober accepts`,
        {
          file,
          line: lines[name],
          field: fieldOf(['functions', name]),
          hint: 'Keep its conversations to what a health check needs: a few short turns each',
        },
      );
    }
    functions[name] = probe;
  }
  return { file, functions, lines };
}
