// Stand-ins for docker and faas-cli on the PATH: they record how they were called, and
// docker writes the image digest to `--metadata-file` as buildx does.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_DIGEST = `sha256:${'ab'.repeat(32)}`;

export interface FakeTools {
  bin: string;
  log: string;
  /** Each recorded call, e.g. `docker buildx build --push …`. */
  calls(): Promise<string[]>;
}

export async function fakeTools(): Promise<FakeTools> {
  const bin = await mkdtemp(join(tmpdir(), 'greenlight-bin-'));
  const log = join(bin, 'calls.log');
  const docker = `#!/bin/sh
echo "docker $*" >> "${log}"
prev=""
for arg in "$@"; do
  if [ "$prev" = "--metadata-file" ]; then echo '{"containerimage.digest":"${FAKE_DIGEST}"}' > "$arg"; fi
  prev="$arg"
done
`;
  await writeFile(join(bin, 'docker'), docker);
  await chmod(join(bin, 'docker'), 0o755);
  return {
    bin,
    log,
    calls: async () => (existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : []),
  };
}
