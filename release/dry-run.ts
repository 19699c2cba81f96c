// `npm run release:dry-run [-- --out DIR] [--image [--node-image REF]]`: every artifact a
// release publishes, made locally into one folder (default dist/release: npm/, charts/,
// image/; a chart and an npm tarball can share a file name) and published nowhere: the npm tarballs (each package built fresh, then `npm pack`), both charts
// (`helm package`), and with --image the gate's image (buildah, saved as an OCI archive).
// Prints each artifact and its size, and writes artifacts.json there for the adoption tier.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { helm } from '../charts/test/helm.ts';
import { CHARTS, GATE_IMAGE, NPM_PACKAGES } from './packages.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

export interface Artifact {
  kind: 'npm' | 'chart' | 'image';
  /** The npm package, chart or image name. */
  name: string;
  version: string;
  /** Absolute path of the file in the output folder. */
  file: string;
  bytes: number;
  /** npm tarballs: the size once unpacked. */
  unpackedBytes?: number;
}

async function packNpm(workspace: string, out: string): Promise<Artifact> {
  const dir = join(ROOT, workspace);
  // A clean dist/: a source file deleted since the last build must not ship.
  await rm(join(dir, 'dist'), { recursive: true, force: true });
  await run('npm', ['run', 'build', '--workspace', workspace], { cwd: ROOT });
  const { stdout } = await run(
    'npm',
    ['pack', '--workspace', workspace, '--pack-destination', out, '--json'],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  const [packed] = JSON.parse(stdout) as {
    name: string;
    version: string;
    filename: string;
    size: number;
    unpackedSize: number;
  }[];
  if (!packed) throw new Error(`npm pack printed nothing for ${workspace}`);
  return {
    kind: 'npm',
    name: packed.name,
    version: packed.version,
    file: join(out, packed.filename),
    bytes: packed.size,
    unpackedBytes: packed.unpackedSize,
  };
}

async function packChart(chart: string, out: string): Promise<Artifact> {
  const result = await helm(['package', join(ROOT, chart), '--destination', out]);
  // helm: "Successfully packaged chart and saved it to: /…/chatbot-0.1.0.tgz"
  const file = /saved it to: (.+\.tgz)/.exec(result.stdout)?.[1];
  if (result.code !== 0 || !file) {
    throw new Error(`helm package ${chart} failed: ${result.stderr || result.stdout}`);
  }
  const [, name = chart, version = ''] = /([^/]+)-(\d[^/]*)\.tgz$/.exec(file) ?? [];
  return { kind: 'chart', name, version, file, bytes: (await stat(file)).size };
}

async function buildImage(out: string, version: string, nodeImage?: string): Promise<Artifact> {
  const tag = `localhost/${GATE_IMAGE.name}:${version}`;
  const file = join(out, `${GATE_IMAGE.name}-${version}.oci.tar`);
  const buildArgs = nodeImage ? ['--build-arg', `NODE_IMAGE=${nodeImage}`] : [];
  await run(
    'buildah',
    [
      'build',
      '--isolation',
      'chroot',
      '-f',
      GATE_IMAGE.containerfile,
      '-t',
      tag,
      ...buildArgs,
      '.',
    ],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  await rm(file, { force: true });
  await run('buildah', ['push', tag, `oci-archive:${file}:${tag}`], { cwd: ROOT });
  return { kind: 'image', name: tag, version, file, bytes: (await stat(file)).size };
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export async function dryRun(options: {
  out: string;
  image: boolean;
  nodeImage?: string;
  log?: (line: string) => void;
}): Promise<Artifact[]> {
  const log = options.log ?? (() => {});
  await rm(options.out, { recursive: true, force: true });
  await mkdir(options.out, { recursive: true });
  const artifacts: Artifact[] = [];
  // In order: a package's build reads the .d.ts of those before it.
  const folder = async (name: string) => {
    await mkdir(join(options.out, name), { recursive: true });
    return join(options.out, name);
  };
  const npm = await folder('npm');
  for (const workspace of NPM_PACKAGES) {
    log(`building and packing ${workspace}`);
    artifacts.push(await packNpm(workspace, npm));
  }
  const charts = await folder('charts');
  for (const chart of CHARTS) artifacts.push(await packChart(chart, charts));
  if (options.image) {
    const gate = JSON.parse(await readFile(join(ROOT, 'gate/package.json'), 'utf8'));
    log(`building the gate image with buildah (${GATE_IMAGE.containerfile})`);
    artifacts.push(await buildImage(await folder('image'), gate.version, options.nodeImage));
  }
  await writeFile(join(options.out, 'artifacts.json'), `${JSON.stringify(artifacts, null, 2)}\n`);
  return artifacts;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: join(ROOT, 'dist/release') },
      image: { type: 'boolean', default: false },
      'node-image': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run release:dry-run -- [--out DIR] [--image [--node-image REF]]');
    return;
  }
  const started = Date.now();
  const out = resolve(values.out);
  const artifacts = await dryRun({
    out,
    image: values.image,
    ...(values['node-image'] ? { nodeImage: values['node-image'] } : {}),
    log: (line) => console.log(`release: ${line}`),
  });
  console.log(`\nArtifacts in ${relative(process.cwd(), out) || '.'} (nothing published):`);
  for (const artifact of artifacts) {
    const unpacked = artifact.unpackedBytes ? ` (${size(artifact.unpackedBytes)} unpacked)` : '';
    console.log(
      `  ${artifact.kind.padEnd(5)}  ${relative(out, artifact.file).padEnd(40)} ${size(artifact.bytes)}${unpacked}`,
    );
  }
  if (!values.image) console.log('  (the gate image: add --image to build it with buildah)');
  console.log(`release: dry run done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`release: ${error.message}`);
    process.exit(1);
  });
}
