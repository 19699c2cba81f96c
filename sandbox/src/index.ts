// The Greenlight sandbox: local stand-ins for what a cluster provides (see README.md).
export * from './apiserver/index.ts';
export * from './metrics/index.ts';
export * from './controller/index.ts';
export { startSandbox } from './start.ts';
export type { Sandbox, SandboxOptions } from './start.ts';
export { startKubelet } from './simulate/kubelet.ts';
export type { Kubelet, KubeletOptions } from './simulate/kubelet.ts';
export { parseOutputs } from './demo/run-action.ts';
export { startMesh } from './simulate/mesh.ts';
export { startPods } from './simulate/pods.ts';
export type { Launch, Pod, Pods, Replica } from './simulate/pods.ts';
