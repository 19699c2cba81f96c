// promote approves an analysis, so it first waits for Flagger to run one. An approval binds
// to the analysis under way (core's analysisOf: Flagger's webhook checksum and the start of
// the run, docs/design.md "The approval protocol"), and core refuses one while Flagger runs
// none. A promote job usually starts right after the deploy, before Flagger's next check has
// picked the new revision up (up to one analysis interval), so failing there would fail
// most runs. One watch of the Canaries, no polling: Flagger writes status once per check.
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import type { KubeConfig } from '@kubernetes/client-node';
import { analysisOf, ObjectCache, UserError } from '@greenlight/core';

export interface AwaitAnalysisOptions {
  kc: KubeConfig;
  namespace: string;
  /** The Canaries to wait for, with the revision each is expected to analyse. */
  revisions: Map<string, string>;
  /** Epoch ms; the step's `timeout` covers the wait and the follow after it. */
  deadline: number;
  /** Told once per Canary that is not analysing yet. */
  log(line: string): void;
}

/** Resolves once Flagger analyses every Canary named; rejects at the deadline. */
export async function awaitAnalysis(options: AwaitAnalysisOptions): Promise<void> {
  const { namespace, revisions } = options;
  const only = revisions.size === 1 ? [...revisions.keys()][0] : undefined;
  const canaries = new ObjectCache<Canary>(
    options.kc,
    { apiVersion: FLAGGER_API_VERSION, kind: 'Canary', namespace },
    only ? { fieldSelector: `metadata.name=${only}` } : {},
  );
  const told = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!canaries.synced) return;
        const waiting: string[] = [];
        for (const [name, revision] of revisions) {
          const canary = canaries.get(namespace, name);
          if (!canary) {
            return reject(
              new UserError(`Canary ${namespace}/${name} was deleted while promote waited`, {
                field: 'functions',
              }),
            );
          }
          if (analysisOf(canary)) continue;
          waiting.push(name);
          if (!told.has(name)) {
            told.add(name);
            options.log(
              `${name}: Flagger is not analysing revision ${revision} yet (phase ${phaseOf(canary)}); waiting for its analysis to start before approving`,
            );
          }
        }
        if (waiting.length === 0) resolve();
      };
      timer = setTimeout(
        () => {
          const late = [...revisions].filter(([name]) => {
            const canary = canaries.get(namespace, name);
            return !canary || !analysisOf(canary);
          });
          const which = late
            .map(([name, revision]) => {
              const canary = canaries.get(namespace, name);
              return `revision ${revision} of Canary ${namespace}/${name} (phase ${phaseOf(canary)})`;
            })
            .join(', ');
          reject(
            new UserError(
              `Flagger did not start analysing ${which} before the timeout, so there is no analysis to approve; nothing was approved`,
              {
                field: 'timeout',
                hint: `Check that Flagger runs and has picked the Deployment up (kubectl describe canary -n ${namespace} ${late[0]?.[0] ?? ''}), then run promote again, or raise timeout`,
              },
            ),
          );
        },
        Math.max(0, options.deadline - Date.now()),
      );
      canaries.onChange(check);
      canaries.onSync(check);
      canaries.start().then(check, reject);
    });
  } finally {
    clearTimeout(timer);
    canaries.stop();
  }
}

function phaseOf(canary: Canary | undefined): string {
  return canary?.status?.phase || 'not reported yet';
}
