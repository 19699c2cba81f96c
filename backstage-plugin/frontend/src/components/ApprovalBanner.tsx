import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  rolloutAbortPermission,
  rolloutApprovePermission,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { MarkView, RolloutView } from '@greenlight/backstage-plugin-greenlight-common';
import { greenlightApiRef } from '../api/GreenlightApi.ts';
import { shortRevision } from './Revision.tsx';
import type { RolloutRef } from '../api/GreenlightApi.ts';

export interface ApprovalBannerProps {
  rollout: RolloutView;
  rolloutRef: RolloutRef;
  /** Called after a successful approve or abort, to refresh at once. */
  onDone?: () => void;
}

/**
 * Shown while Flagger holds the canary for approval (Approve, Roll back), and during
 * analysis (Roll back). The buttons act on the revision the user sees, so a newer deploy
 * is never approved by accident: the backend refuses a revision no longer under analysis.
 * An approval promotes one analysis of one pod template, once (core's approvalState): one
 * of this revision that was used by an earlier analysis, names another pod template or no
 * analysis at all is shown as such, never as "approved", and Approve again is offered.
 */
export function ApprovalBanner({ rollout, rolloutRef, onDone }: ApprovalBannerProps) {
  const api = useApi(greenlightApiRef);
  const resourceRef = rolloutRef.entityRef;
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
          ? await api.approve(rolloutRef, revision)
          : await api.abort(rolloutRef, revision);
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

  const ofThisRevision = rollout.approval?.matchesRevision ? rollout.approval : undefined;
  const approved = ofThisRevision?.state === 'applies' ? ofThisRevision : undefined;
  const stale = ofThisRevision && !approved ? ofThisRevision : undefined;
  const offerApprove = rollout.waitingForApproval || stale !== undefined;
  const when =
    rollout.phase === 'WaitingPromotion' ? 'at its next check' : 'when the analysis ends';
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
            ? `Revision ${shown} is approved by ${writer(approved)}; Flagger promotes it ${when}.`
            : `Revision ${shown} is under analysis. You can roll it back now.`}
      </Typography>
      {stale && (
        <Typography variant="body2" role="note" aria-label="Earlier approval">
          {`The approval of revision ${shown} by ${writer(stale)} ${STALE[stale.state ?? 'unbound']}, so it does not promote this analysis: approve again to promote it.`}
        </Typography>
      )}
      <Box mt={1} display="flex" flexWrap="wrap" alignItems="center">
        {offerApprove &&
          button(
            'approve',
            stale ? 'Approve again' : 'Approve',
            approve,
            rolloutApprovePermission.name,
          )}
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

/** Why an approval of the revision under analysis does not promote it. */
const STALE: Record<NonNullable<MarkView['state']>, string> = {
  applies: 'applies',
  'other-revision': 'is for another revision',
  used: 'was used: it promoted or rolled back an earlier analysis',
  'other-template': 'was for another pod template: the Deployment changed since it was approved',
  unbound: 'names no analysis (unbound)',
};

/** "system:serviceaccount:backstage:backend (backstage:user:default/ana)": identity, then note. */
function writer({ by, note }: MarkView): string {
  const who = by ?? 'an unknown writer';
  return note ? `${who} (${note})` : who;
}
