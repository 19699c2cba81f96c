import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { rolloutRollbackPermission } from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutView } from '@greenlight/backstage-plugin-greenlight-common';
import { greenlightApiRef } from '../api/GreenlightApi.ts';
import type { RolloutRef } from '../api/GreenlightApi.ts';
import { shortRevision } from './Revision.tsx';

export interface RollbackButtonProps {
  rollout: RolloutView;
  rolloutRef: RolloutRef;
  /** Called after the rollback was written, to refresh at once. */
  onDone?: () => void;
}

/**
 * "Roll back to <revision>", once a revision promoted before the one the primary runs is on
 * record (the view's `rollbackTo`) and no rollout is under way. It sends the revision the
 * user sees, so nothing else is brought back; Flagger analyses it again (docs/design.md,
 * "Rollback after promotion"), approval included where it is required.
 */
export function RollbackButton({ rollout, rolloutRef, onDone }: RollbackButtonProps) {
  const api = useApi(greenlightApiRef);
  const permission = usePermission({
    permission: rolloutRollbackPermission,
    resourceRef: rolloutRef.entityRef,
  });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  const target = rollout.rollbackTo;
  if (!target || rollout.verdict === 'in-progress') return null;
  const shown = shortRevision(target.revision);
  const running = rollout.promotedRevision ? shortRevision(rollout.promotedRevision) : 'unknown';

  const act = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const done = await api.rollback(rolloutRef, target.revision);
      setOutcome({
        ok: true,
        text: `Rolling back to revision ${shortRevision(done.revision)}: Flagger analyses it now.`,
      });
      onDone?.();
    } catch (error) {
      setOutcome({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const denied =
    !permission.loading && !permission.allowed
      ? `You lack the permission ${rolloutRollbackPermission.name} on this entity; ask its owners or your Backstage admin.`
      : '';
  return (
    <Alert severity="info" role="region" aria-label="Rollback">
      <Typography variant="body2">
        {`The primary runs revision ${running}; revision ${shown} was promoted before it (seen ${target.at}). A rollback brings back ${Object.values(target.images ?? {}).join(', ') || 'its recorded images'}.`}
      </Typography>
      <Box mt={1} display="flex" flexWrap="wrap" alignItems="center">
        <Button
          variant="outlined"
          color="secondary"
          disabled={busy || !permission.allowed}
          onClick={act}
          style={{ marginRight: 8 }}
        >
          {`Roll back to ${shown}`}
        </Button>
        {denied && (
          <Typography variant="caption" color="textSecondary" component="span">
            {denied}
          </Typography>
        )}
      </Box>
      {outcome && (
        <Typography variant="body2" color={outcome.ok ? 'textPrimary' : 'error'} role="status">
          {outcome.text}
        </Typography>
      )}
    </Alert>
  );
}
