// The dev app's root logger: Backstage's log lines go to a file, one JSON object a line,
// so that `npm start` keeps its terminal for the rollout. Warnings and errors are also
// passed to `onProblem`.
import { appendFileSync } from 'node:fs';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

type Level = 'error' | 'warn' | 'info' | 'debug';

class FileLogger implements LoggerService {
  readonly #file: string;
  readonly #fields: JsonObject;
  readonly #onProblem: (line: string) => void;
  constructor(file: string, fields: JsonObject, onProblem: (line: string) => void) {
    this.#file = file;
    this.#fields = fields;
    this.#onProblem = onProblem;
  }
  #write(level: Level, message: string, meta?: Error | JsonObject) {
    const extra = meta instanceof Error ? { error: meta.stack ?? meta.message } : meta;
    const line = { time: new Date().toISOString(), level, message, ...this.#fields, ...extra };
    appendFileSync(this.#file, `${JSON.stringify(line)}\n`);
    if (level === 'error' || level === 'warn') {
      this.#onProblem(`${this.#fields.plugin ?? 'backend'}: ${message}`);
    }
  }
  error(message: string, meta?: Error | JsonObject) {
    this.#write('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.#write('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.#write('info', message, meta);
  }
  debug() {}
  child(meta: JsonObject): LoggerService {
    return new FileLogger(this.#file, { ...this.#fields, ...meta }, this.#onProblem);
  }
}

export function fileLoggerServiceFactory(file: string, onProblem: (line: string) => void) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => new FileLogger(file, { service: 'greenlight-dev-app' }, onProblem),
  });
}
