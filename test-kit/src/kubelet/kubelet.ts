// The one kubelet shim, for tests: the sandbox's, which writes each Deployment's /status as
// a finished rollout. It lives in the sandbox (which runs it) because the kit depends on the
// sandbox; a shim here would make the sandbox depend on a test package.
export { startKubelet, type Kubelet, type KubeletOptions } from '@greenlight/sandbox';
