// The Greenlight domain, shared by the CLI, the gate, the action and the Backstage backend.
// No GitHub and no Backstage imports below this folder.
export * from './stack/index.ts';
export * from './probes/index.ts';
export * from './function/index.ts';
export * from './canary/index.ts';
export * from './rollout/index.ts';
export * from './approval/index.ts';
export * from './rollback/index.ts';
export * from './metrics/index.ts';
export * from './kube/index.ts';
export * from './errors.ts';
