// The part of @actions/core Greenlight uses, speaking the runner's protocol directly:
// `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files and `::command::` lines on stdout (GitHub
// docs, "Workflow commands for GitHub Actions"). Names and signatures follow @actions/core,
// so switching to the package is a change of import lines once it is installed.
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** `with: { stack-file: … }` reaches the step as `INPUT_STACK-FILE` (spaces become `_`). */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    issue('set-output', value, { name });
    return;
  }
  // A fresh delimiter per value, as @actions/core does, so no value can end the block early.
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** The runner replaces `secret` with *** in every later log line. */
export function setSecret(secret: string): void {
  for (const line of secret.split(/\r?\n/)) if (line.trim()) issue('add-mask', line);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issue('debug', message);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  issue('notice', message, annotation(properties));
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issue('warning', message, annotation(properties));
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issue('error', message, annotation(properties));
}

/** Marks the step failed (exit code 1) with `message` as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

export function startGroup(title: string): void {
  issue('group', title);
}

export function endGroup(): void {
  issue('endgroup', '');
}

export async function group<T>(title: string, run: () => Promise<T>): Promise<T> {
  startGroup(title);
  try {
    return await run();
  } finally {
    endGroup();
  }
}

function annotation(properties: AnnotationProperties): Record<string, string> {
  const out: Record<string, string> = {};
  if (properties.title) out.title = properties.title;
  if (properties.file) out.file = properties.file;
  if (properties.startLine !== undefined) out.line = String(properties.startLine);
  return out;
}

function issue(command: string, message: string, properties: Record<string, string> = {}): void {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
