import { readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';

// A copy of a stack file whose function ships a bug, for the version `--bad` ships: the
// example chatbot's DEMO_FAULT in the function's `environment:`, which the action puts in
// the container's env as faas-netes does, so the revision's own code answers wrongly
// (examples/chatbot/README.md). The example stack file itself stays free of the fault.
// Comments and ${VAR} references are kept (the action substitutes them); the handler is
// re-pointed at the original folder.

export async function writeStackWithFault(
  from: string,
  to: string,
  fnName: string,
  fault: string,
): Promise<void> {
  const doc = parseDocument(await readFile(from, 'utf8'));
  doc.setIn(['functions', fnName, 'environment', 'DEMO_FAULT'], fault);
  const handler = doc.getIn(['functions', fnName, 'handler']);
  if (typeof handler === 'string' && !isAbsolute(handler)) {
    const moved = relative(dirname(to), resolve(dirname(from), handler));
    doc.setIn(['functions', fnName, 'handler'], moved.startsWith('.') ? moved : `./${moved}`);
  }
  const header = `# Written by npm start -- --bad: ${relative(dirname(to), from)} with DEMO_FAULT=${fault} on ${fnName}.\n`;
  await writeFile(to, header + doc.toString());
}
