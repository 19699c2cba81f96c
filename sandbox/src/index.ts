// The Greenlight sandbox: local stand-ins for what a cluster provides (see README.md).
export * from './apiserver/index.ts';
export * from './mesh/index.ts';
export * from './metrics/index.ts';
export * from './controller/index.ts';
export { startSandbox, DEFAULT_USERS_PER_SECOND } from './start.ts';
export type { Sandbox, SandboxOptions } from './start.ts';
export { startProber } from './prober.ts';
export type { SandboxProber } from './prober.ts';
export { startKubelet } from './simulate/kubelet.ts';
export type { Kubelet, KubeletOptions } from './simulate/kubelet.ts';
export { parseOutputs } from './demo/run-action.ts';
