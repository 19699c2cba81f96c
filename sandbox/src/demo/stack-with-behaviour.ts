import { readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { BEHAVIOUR_ANNOTATION } from '../metrics/index.ts';

// A copy of a stack file whose function carries the sandbox's behaviour annotation, for the
// version `--bad` ships. The action puts a function's stack annotations on the pod template
// (as faas-netes does), where the sandbox's mesh reads how that version answers; the example
// stack file itself stays free of sandbox-only settings. Comments and ${VAR} references are
// kept (the action substitutes them); the handler is re-pointed at the original folder.

export async function writeStackWithBehaviour(
  from: string,
  to: string,
  fnName: string,
  behaviour: string,
): Promise<void> {
  const doc = parseDocument(await readFile(from, 'utf8'));
  doc.setIn(['functions', fnName, 'annotations', BEHAVIOUR_ANNOTATION], behaviour);
  const handler = doc.getIn(['functions', fnName, 'handler']);
  if (typeof handler === 'string' && !isAbsolute(handler)) {
    const moved = relative(dirname(to), resolve(dirname(from), handler));
    doc.setIn(['functions', fnName, 'handler'], moved.startsWith('.') ? moved : `./${moved}`);
  }
  const header = `# Written by npm start -- --bad: ${relative(dirname(to), from)} with ${BEHAVIOUR_ANNOTATION} on ${fnName}.\n`;
  await writeFile(to, header + doc.toString());
}
