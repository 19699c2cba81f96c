// Debian's Prometheus, scraping the mesh stand-in's proxy metrics (harness/mesh.ts) every
// second. `honor_labels` keeps their `namespace` and `deployment` labels as written (in a
// cluster they come from the pod relabelling of Linkerd's scrape config).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

export interface Prometheus {
  process: ManagedProcess;
  url: string;
}

export async function startPrometheus(
  binary: string,
  dir: string,
  meshUrl: string,
): Promise<Prometheus> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [
        {
          job_name: 'linkerd-proxy',
          honor_labels: true,
          scrape_interval: '1s',
          scrape_timeout: '1s',
          static_configs: [{ targets: [new URL(meshUrl).host] }],
        },
      ],
    }),
  );
  const data = join(dir, 'prometheus-data');
  mkdirSync(data, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const process = new ManagedProcess({
    name: 'prometheus',
    command: binary,
    dir,
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
  });
  await process.waitUntil('ready', async () => (await fetch(`${url}/-/ready`)).ok);
  return { process, url };
}

/** Waits until Prometheus has scraped the mesh's metrics successfully at least once. */
export async function waitForScrape(prometheus: Prometheus, timeoutMs = 30_000): Promise<void> {
  await prometheus.process.waitUntil(
    'scraping the mesh',
    async () => {
      const res = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent('up{job="linkerd-proxy"}')}`,
      );
      const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
      return body.data?.result?.[0]?.value[1] === '1';
    },
    timeoutMs,
  );
}
