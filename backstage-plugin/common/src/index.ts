// Shared by the Greenlight Backstage backend and frontend: permissions, annotations and
// the API's types, the reading of the prober's Events, and the live pages' signal.
export * from './permissions.ts';
export * from './annotations.ts';
export * from './api.ts';
export * from './probe-events.ts';
export * from './signals.ts';
