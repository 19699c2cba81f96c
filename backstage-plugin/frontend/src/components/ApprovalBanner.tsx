import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  rolloutAbortPermission,
  rolloutApprovePermission,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutView } from '@greenlight/backstage-plugin-greenlight-common';
import { greenlightApiRef } from '../api/GreenlightApi.ts';
import { shortRevision } from './Revision.tsx';
import type { RolloutTarget } from '../api/GreenlightApi.ts';

export interface ApprovalBannerProps {
  rollout: RolloutView;
  target: RolloutTarget;
  /** Called after a successful approve or abort, to refresh at once. */
  onDone?: () => void;
}

/**
 * Shown while Flagger holds the canary for approval (Approve, Roll back), and during
 * analysis (Roll back). The buttons act on the revision the user sees, so a newer deploy
 * is never approved by accident: the backend refuses a revision no longer under analysis.
 */
export function ApprovalBanner({ rollout, target, onDone }: ApprovalBannerProps) {
  const api = useApi(greenlightApiRef);
  const resourceRef = target.entityRef;
  const approve = usePermission({ permission: rolloutApprovePermission, resourceRef });
  const abort = usePermission({ permission: rolloutAbortPermission, resourceRef });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();

  const inAnalysis = rollout.verdict === 'in-progress' && rollout.revision !== undefined;
  if (!inAnalysis || rollout.abort?.matchesRevision) return null;
  const revision = rollout.revision as string;
  const shown = shortRevision(revision);

  const act = async (verb: 'approve' | 'abort') => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const done =
        verb === 'approve'
          ? await api.approve(target, revision)
          : await api.abort(target, revision);
      setOutcome({
        ok: true,
        text:
          verb === 'approve'
            ? `Approved revision ${shortRevision(done.revision)}: Flagger promotes it at its next check.`
            : `Asked Flagger to roll back revision ${shortRevision(done.revision)}.`,
      });
      onDone?.();
    } catch (error) {
      setOutcome({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const button = (
    verb: 'approve' | 'abort',
    label: string,
    permission: { allowed: boolean; loading: boolean },
    name: string,
  ) => {
    const reason = permission.loading
      ? 'Checking your permissions…'
      : !permission.allowed
        ? `You lack the permission ${name} on this entity; ask its owners or your Backstage admin.`
        : '';
    return (
      <Tooltip title={reason}>
        <span>
          <Button
            variant={verb === 'approve' ? 'contained' : 'outlined'}
            color={verb === 'approve' ? 'primary' : 'secondary'}
            disabled={busy || !permission.allowed}
            onClick={() => act(verb)}
            style={{ marginRight: 8 }}
          >
            {label}
          </Button>
          {reason && !permission.loading && (
            <Typography variant="caption" color="textSecondary" component="span">
              {reason}
            </Typography>
          )}
        </span>
      </Tooltip>
    );
  };

  const approved = rollout.approval?.matchesRevision;
  return (
    <Alert
      severity={rollout.waitingForApproval ? 'warning' : 'info'}
      role="region"
      aria-label="Approval"
    >
      <Typography variant="body2">
        {rollout.waitingForApproval
          ? `Revision ${shown} passed its analysis and waits for approval to be promoted.`
          : approved
            ? `Revision ${shown} is approved by ${rollout.approval?.by ?? 'someone'}; Flagger promotes it when the analysis ends.`
            : `Revision ${shown} is under analysis. You can roll it back now.`}
      </Typography>
      <Box mt={1} display="flex" flexWrap="wrap" alignItems="center">
        {rollout.waitingForApproval &&
          button('approve', 'Approve', approve, rolloutApprovePermission.name)}
        {button('abort', 'Roll back', abort, rolloutAbortPermission.name)}
      </Box>
      {outcome && (
        <Typography variant="body2" color={outcome.ok ? 'textPrimary' : 'error'} role="status">
          {outcome.text}
        </Typography>
      )}
    </Alert>
  );
}
