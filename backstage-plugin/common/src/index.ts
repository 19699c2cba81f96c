// Shared by the Greenlight Backstage backend and frontend: permissions, annotations and
// the API's types.
export * from './permissions.ts';
export * from './annotations.ts';
export * from './api.ts';
