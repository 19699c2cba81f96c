// A local npm registry for the packages a release dry run packed, so an adopter's install is
// `npm install -g @greenlight/cli` as from the public registry: npm resolves the CLI's
// dependencies on @greenlight/core and flagger-types the way it will once they are
// published (one copy, nested under the CLI). Every other package is a redirect to the
// registry npm is configured with, which npm follows itself: nothing is proxied or listed.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

/** package.json of an npm tarball (`package/package.json` in its tar). */
function manifestOf(tarball: Buffer): Record<string, unknown> {
  const tar = gunzipSync(tarball);
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = tar.toString('utf8', offset, offset + 100).replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('utf8', offset + 124, offset + 136).trim() || '0', 8);
    if (name === 'package/package.json') {
      return JSON.parse(tar.toString('utf8', offset + 512, offset + 512 + size));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('npm tarball without package/package.json');
}

export async function startLocalRegistry(
  tarballs: readonly string[],
  upstream: string,
): Promise<LocalRegistry> {
  const packages = new Map<string, { manifest: Record<string, unknown>; bytes: Buffer }>();
  for (const file of tarballs) {
    const bytes = await readFile(file);
    const manifest = manifestOf(bytes);
    packages.set(String(manifest.name), { manifest, bytes });
  }
  let base = '';
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/').slice(1);
    const tarball = /^(.+)\/-\/[^/]+\.tgz$/.exec(path);
    const own = packages.get(tarball?.[1] ?? path);
    if (own && tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(own.bytes);
      return;
    }
    if (own) {
      const { manifest, bytes } = own;
      const name = String(manifest.name);
      const version = String(manifest.version);
      const file = `${name.split('/').pop()}-${version}.tgz`;
      const dist = {
        tarball: `${base}/${name}/-/${file}`,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          name,
          'dist-tags': { latest: version },
          versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist } },
        }),
      );
      return;
    }
    response.writeHead(302, { location: `${upstream.replace(/\/$/, '')}${request.url ?? '/'}` });
    response.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
