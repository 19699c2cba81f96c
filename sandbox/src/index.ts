// The Greenlight sandbox: local stand-ins for what a cluster provides (see README.md).
export * from './apiserver/index.ts';
export * from './metrics/index.ts';
