// Base images made on this machine, since nothing here may pull from docker.io:
// - busybox: `buildah from scratch`, Debian's static /bin/busybox and its applet links;
// - node: the busybox image plus the Node 24 binary of the repository's `node` package, the
//   shared libraries `ldd` names for it, the npm that runs this test (the gate's
//   Containerfile runs `npm ci`), /etc/passwd with the `node` user (uid 1000, as in the
//   public node images; the chatbot's Dockerfile says `USER node`) and this machine's CA
//   bundle (npm reaches registry.npmjs.org through whatever TLS this machine trusts).
// Both are pushed to the run's registry; the builds under test pull them from there.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Containers } from './containers.ts';

export interface BaseImages {
  /** `<registry>/busybox:<version>` */
  busybox: string;
  /** `<registry>/node:<version>`: what NODE_IMAGE names for the builds under test. */
  node: string;
}

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export async function pushBaseImages(
  containers: Containers,
  busyboxBinary: string,
  registryHost: string,
  dir: string,
): Promise<BaseImages> {
  const { buildah } = containers;
  const nodeBinary = join(
    dirname(createRequire(import.meta.url).resolve('node/package.json')),
    'bin',
    'node',
  );
  const nodeVersion = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
  if (!nodeVersion.startsWith('v24.'))
    throw new Error(`${nodeBinary} is Node ${nodeVersion}; the node base image must be Node 24`);
  // Under `npm run`, npm names its own CLI; its package folder is copied whole.
  const npmCli = process.env.npm_execpath;
  if (!npmCli || !existsSync(npmCli))
    throw new Error(
      'npm_execpath is not set, so there is no npm to copy into the node base image: run the e2e tier through npm run test:e2e',
    );
  const npmRoot = dirname(dirname(npmCli));

  const busybox = `${registryHost}/busybox:${busyboxVersion(busyboxBinary)}`;
  const scratch = (await buildah(['from', 'scratch'])).trim();
  await buildah(['copy', scratch, busyboxBinary, '/bin/busybox']);
  // `--install -s` links each applet where it belongs (/bin, /sbin, /usr/bin, /usr/sbin),
  // but only into folders that exist.
  const inside = (args: string[]) =>
    buildah(['run', '--isolation', 'chroot', scratch, '--', '/bin/busybox', ...args]);
  await inside(['mkdir', '-p', '/sbin', '/usr/bin', '/usr/sbin', '/etc', '/tmp', '/root']);
  await inside(['chmod', '1777', '/tmp']);
  await inside(['--install', '-s']);
  await buildah(['config', '--cmd', '/bin/sh', scratch]);
  await buildah(['commit', '--rm', scratch, 'localhost/greenlight-e2e/busybox']);
  await buildah(['push', 'localhost/greenlight-e2e/busybox', `docker://${busybox}`]);

  const rootfs = join(dir, 'node-rootfs');
  nodeRootfs(rootfs, nodeBinary, npmRoot);
  const node = `${registryHost}/node:${nodeVersion.slice(1)}`;
  const layered = (await buildah(['from', 'localhost/greenlight-e2e/busybox'])).trim();
  await buildah(['copy', layered, `${rootfs}/`, '/']);
  await buildah([
    'config',
    '--env',
    'PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin',
    ...(existsSync(CA_BUNDLE) ? ['--env', `NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`] : []),
    '--cmd',
    'node',
    layered,
  ]);
  // Fail here, naming the image, rather than in a build under test: a missing library shows.
  await buildah(['run', '--isolation', 'chroot', layered, '--', 'node', '--version']);
  await buildah(['run', '--isolation', 'chroot', layered, '--', 'npm', '--version']);
  await buildah(['commit', '--rm', layered, 'localhost/greenlight-e2e/node']);
  await buildah(['push', 'localhost/greenlight-e2e/node', `docker://${node}`]);
  return { busybox, node };
}

function busyboxVersion(binary: string): string {
  // "BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary."
  let banner: string;
  try {
    banner = execFileSync(binary, ['--help'], { encoding: 'utf8' });
  } catch (error) {
    banner = (error as { stdout?: string }).stdout ?? '';
  }
  return /BusyBox v(\d+\.\d+\.\d+)/.exec(banner)?.[1] ?? 'latest';
}

/** The files the node image adds to busybox, laid out as they land in the image. */
function nodeRootfs(rootfs: string, nodeBinary: string, npmRoot: string): void {
  const put = (source: string, target: string) => {
    mkdirSync(dirname(join(rootfs, target)), { recursive: true });
    copyFileSync(source, join(rootfs, target));
  };
  put(nodeBinary, '/usr/local/bin/node');
  // "libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x…)" and the loader's own line.
  const ldd = execFileSync('ldd', [nodeBinary], { encoding: 'utf8' });
  for (const library of ldd.match(/\/\S+/g) ?? []) put(library, library);
  cpSync(npmRoot, join(rootfs, '/usr/local/lib/node_modules/npm'), { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, '/usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, '/usr/local/bin/npx'));
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n',
  );
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  mkdirSync(join(rootfs, 'home/node'), { recursive: true });
  if (existsSync(CA_BUNDLE)) put(CA_BUNDLE, CA_BUNDLE);
}
