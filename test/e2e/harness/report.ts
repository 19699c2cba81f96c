// What a failing scenario prints: the phases Flagger went through, the Canary's Events,
// and the tail of every control-plane log.
import type { ControlPlane } from './control-plane.ts';
import type { RolloutWatch } from './rollout-watch.ts';

export async function failureReport(plane: ControlPlane, rollout: RolloutWatch): Promise<string> {
  const events = await rollout
    .events()
    .catch((error: Error) => [`(events unreadable: ${error.message})`]);
  return `phases: ${rollout.phases.join(' → ')}\nevents:\n  ${events.join('\n  ')}\n\n${plane.report()}`;
}

/** What a report is made from, read when the scenario fails. */
export interface ReportSubjects {
  plane: ControlPlane;
  rollout: RolloutWatch;
}

/** A Jest test whose failure carries `failureReport`. */
export function scenario(
  name: string,
  context: () => ReportSubjects,
  body: () => Promise<void>,
): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      const { plane, rollout } = context();
      throw new Error(`${(error as Error).message}\n\n${await failureReport(plane, rollout)}`, {
        cause: error,
      });
    }
  });
}
