import { Box, List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { StatusError, StatusOK } from '@backstage/core-components';
import type { ProbeRunEntry } from '@greenlight/backstage-plugin-greenlight-common';
import { Revision } from './Revision.tsx';

// The prober's runs (issue 15), as the backend read them from the Canary's Events: per
// revision the last one; a failure shows the turn, what was sent and the reply that was wrong.

/** What one run says in a line: `passed: 15 requests in 842 ms` / `failed: <reason>`. */
function outcomeText(run: ProbeRunEntry): string {
  if (run.outcome === 'passed') return `passed: ${run.requests} requests in ${run.durationMs} ms`;
  return `failed: ${run.failure?.reason ?? run.detail}`;
}

function Outcome({ run }: { run: ProbeRunEntry }) {
  const text = `${run.webhook} probe ${outcomeText(run)}`;
  return run.outcome === 'passed' ? <StatusOK>{text}</StatusOK> : <StatusError>{text}</StatusError>;
}

function Failure({ run }: { run: ProbeRunEntry }) {
  if (run.outcome !== 'failed' || !run.failure) return null;
  const { conversation, turn, request, reply } = run.failure;
  return (
    <Box mt={1}>
      <Typography variant="body2">
        Conversation “{conversation}”, turn {turn}
      </Typography>
      <Typography variant="body2">
        Sent: <code>{request}</code>
      </Typography>
      <Typography variant="body2">
        Reply: <code>{reply}</code>
      </Typography>
    </Box>
  );
}

/** The Rollout tab's list: per revision its last probe run, newest first. */
export function ProbeRuns({ probes, slug }: { probes: ProbeRunEntry[]; slug?: string }) {
  if (probes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No probe runs recorded. The prober records each run as an Event on the Canary when the
        function has conversations in probes.yml; Kubernetes keeps Events for about an hour.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Probe runs">
      {probes.map((run) => (
        <ListItem key={run.revision} divider alignItems="flex-start">
          <ListItemText
            disableTypography
            primary={
              <Box>
                <Typography variant="body2">
                  Revision <Revision revision={run.revision} slug={slug} />
                </Typography>
                <Outcome run={run} />
                <Failure run={run} />
              </Box>
            }
            secondary={
              <Typography variant="body2" color="textSecondary">
                {[run.at && new Date(run.at).toLocaleString(), run.count > 1 && `×${run.count}`]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}

/** The card's line: the last probe run of the revision under analysis, when there is one. */
export function LastProbe({ probes, revision }: { probes: ProbeRunEntry[]; revision?: string }) {
  const run = probes.find((candidate) => candidate.revision === revision);
  if (!run) return null;
  return (
    <Box>
      <Outcome run={run} />
      <Failure run={run} />
    </Box>
  );
}
