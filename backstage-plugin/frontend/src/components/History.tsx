import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import type { HistoryEntry } from '@greenlight/backstage-plugin-greenlight-common';

/** The Canary's Events, newest first: Flagger's steps, approvals, rollbacks. */
export function History({ history }: { history: HistoryEntry[] }) {
  if (history.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events yet. Kubernetes keeps Events for about an hour; older history is gone.
      </Typography>
    );
  }
  return (
    <List dense aria-label="History">
      {history.map((entry, index) => (
        <ListItem key={`${entry.at}-${index}`} divider>
          <ListItemText
            primary={
              <Typography
                variant="body2"
                color={entry.type === 'Warning' ? 'error' : 'textPrimary'}
              >
                {entry.message}
              </Typography>
            }
            secondary={[
              entry.at && new Date(entry.at).toLocaleString(),
              entry.reason,
              entry.source,
              entry.count > 1 ? `×${entry.count}` : undefined,
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        </ListItem>
      ))}
    </List>
  );
}
