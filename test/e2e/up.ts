// Starts the e2e control plane and keeps it up until Ctrl-C, for poking at by hand:
//   npm exec -- node test/e2e/up.ts
//   kubectl --kubeconfig <printed path> get canaries -A
import { startControlPlane } from './harness/control-plane.ts';

const plane = await startControlPlane({ meshProvider: process.argv[2] ?? 'linkerd' });
console.log(`control plane up; logs in ${plane.dir}
  kubeconfig (cluster-admin): ${plane.apiserver.adminKubeconfig}
  prometheus:                 ${plane.prometheus.url}
  mesh (HTTP_PROXY):          ${plane.mesh.url}, metrics ${plane.mesh.url}/metrics
  gate:                       ${plane.gate.url}
Ctrl-C stops every process.`);
await new Promise<void>((resolve) => process.once('SIGINT', resolve));
await plane.stop();
