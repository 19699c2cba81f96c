import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { UserError } from '../errors.ts';
import { lineOf } from './locate.ts';
import { yamlSyntaxError } from './syntax.ts';

/** A YAML file's document, with the line counter its errors are placed by. */
export interface YamlFile {
  doc: Document;
  lineCounter: LineCounter;
}

/** How a kind of file (the stack file, the probes file) is named and begun, for its errors. */
export interface DocumentWords {
  noun: string;
  emptyHint: string;
  mappingHint: string;
}

/** Parses `text` keeping what the errors need: source text, line positions, merge keys. */
export function readYaml(text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    keepSourceTokens: true,
    merge: true,
    prettyErrors: true,
  });
  return { doc, lineCounter };
}

/** Throws the first YAML syntax error, or an empty document or one that is not a mapping. */
export function checkDocument(
  { doc, lineCounter }: YamlFile,
  text: string,
  file: string,
  words: DocumentWords,
): void {
  const syntaxError = doc.errors[0];
  if (syntaxError) throw yamlSyntaxError(syntaxError, text, file);
  if (doc.contents === null) {
    throw new UserError(`the ${words.noun} is empty`, { file, line: 1, hint: words.emptyHint });
  }
  if (!isMap(doc.contents)) {
    throw new UserError(`the ${words.noun} must be a YAML mapping`, {
      file,
      line: lineOf(doc, lineCounter, []),
      hint: words.mappingHint,
    });
  }
}
