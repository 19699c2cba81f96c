import { Button, Typography } from '@material-ui/core';
import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import { ERROR_NAMES } from '@greenlight/backstage-plugin-greenlight-common';

export function Loading() {
  return <Progress />;
}

/** The entity has the annotation but Greenlight has not deployed its Canary yet. */
export function NoCanary({ id, message }: { id: string; message?: string }) {
  return (
    <EmptyState
      missing="data"
      title="No rollout yet"
      description={`There is no Canary ${id} in the cluster. It appears after the first merge that Greenlight deploys with this entity as its owner; if it should exist, check the greenlight.dev/canary annotation and that the Canary's greenlight.dev/owner names this entity.${message ? ` (${message})` : ''}`}
    />
  );
}

const WHAT_TO_DO: Record<string, string> = {
  [ERROR_NAMES.kubernetesUnavailable]:
    'Backstage cannot reach the cluster. Ask your Backstage admin to check the greenlight.clusters configuration; this page retries every 5 seconds.',
  [ERROR_NAMES.metricsUnavailable]:
    'Prometheus did not answer. Ask your Backstage admin to check greenlight.prometheus.url; the rollout itself is unaffected.',
  NotAllowedError: 'You may not see this rollout. Ask the owners of this entity for access.',
  ServiceUnavailableError:
    'A service the plugin needs did not answer; this page retries every 5 seconds.',
};

/** An error from the backend, with what the user can do about it and a Retry. */
export function ErrorState({
  error,
  retry,
  title,
}: {
  error: Error;
  retry?: () => void;
  title?: string;
}) {
  const name = (error as { body?: { error?: { name?: string } } }).body?.error?.name ?? error.name;
  const message =
    (error as { body?: { error?: { message?: string } } }).body?.error?.message ?? error.message;
  return (
    <WarningPanel
      severity="error"
      title={title ?? 'Greenlight could not load this rollout'}
      defaultExpanded
    >
      <Typography variant="body2" paragraph>
        {message}
      </Typography>
      <Typography variant="body2" paragraph>
        {WHAT_TO_DO[name] ??
          'Try again; if it keeps failing, tell your Backstage admin what the message says.'}
      </Typography>
      {retry && (
        <Button variant="outlined" onClick={retry}>
          Retry
        </Button>
      )}
    </WarningPanel>
  );
}

/** The status of a ResponseError from the backend, when there is one. */
export function statusOf(error: Error | undefined): number | undefined {
  return (error as { response?: { status?: number } } | undefined)?.response?.status;
}

/**
 * A Canary that names no owner (`greenlight.dev/owner`): shown, but the backend refuses to
 * approve or roll it back, since any entity may claim it.
 */
export function Unowned({ claimants }: { claimants: string[] }) {
  return (
    <WarningPanel
      severity="warning"
      title="This rollout has no owner, so it cannot be approved or rolled back here"
      message={`Its Canary names no owning entity (greenlight.dev/owner). Entities that claim it: ${claimants.join(', ')}. Set the owner where it is deployed: the Greenlight action's owner input or the chatbot chart's owner value, e.g. ${claimants[0] ?? 'component:default/chatbot'}.`}
    />
  );
}
