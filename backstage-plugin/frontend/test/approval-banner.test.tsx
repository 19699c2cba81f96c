/** @jest-environment jsdom */
// The approval banner for each state of an approval of the revision under analysis (core's
// approvalState): only one that applies is shown as "approved"; a used one, one for another
// pod template or one naming no analysis is shown as such, with Approve again.
import { describe, expect, test } from '@jest/globals';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { MarkView, RolloutView } from '@greenlight/backstage-plugin-greenlight-common';
import { EntityGreenlightContent } from '../src/components/EntityGreenlightContent.tsx';
import { FixtureApi, metrics, rolloutResponse, views } from './fixtures.ts';
import { renderWith } from './render.tsx';

const BACKEND = 'system:serviceaccount:backstage:backstage-backend';

function approval(state: MarkView['state'], rollout: RolloutView): MarkView {
  return {
    revision: rollout.revision as string,
    checksum: '7c9d5b8f4',
    analysis: '2026-01-10T10:00:00Z',
    by: BACKEND,
    note: 'backstage:user:default/ana',
    at: '2026-01-10T10:02:00Z',
    matchesRevision: true,
    state,
  };
}

async function banner(rollout: RolloutView) {
  const api = new FixtureApi({ rollout: rolloutResponse(rollout), metrics });
  await renderWith(<EntityGreenlightContent />, { api });
  return { api, region: await screen.findByRole('region', { name: 'Approval' }) };
}

describe('the approval banner', () => {
  test('shows an approval that applies as approved by the identity, with the user as the note', async () => {
    const held = { ...views.waiting!, waitingForApproval: false };
    const { region } = await banner({ ...held, approval: approval('applies', held) });
    expect(region.textContent).toContain(
      `Revision c0ffee1 is approved by ${BACKEND} (backstage:user:default/ana); Flagger promotes it at its next check.`,
    );
    expect(within(region).queryByRole('button', { name: /Approve/ })).toBeNull();
  });

  test('never shows a used approval as approved, says why, and offers Approve again', async () => {
    const rollout = views.progressing!;
    const { api, region } = await banner({ ...rollout, approval: approval('used', rollout) });
    expect(region.textContent).not.toMatch(/is approved/);
    expect(within(region).getByRole('note', { name: 'Earlier approval' }).textContent).toBe(
      `The approval of revision c0ffee1 by ${BACKEND} (backstage:user:default/ana) was used: it promoted or rolled back an earlier analysis, so it does not promote this analysis: approve again to promote it.`,
    );
    fireEvent.click(within(region).getByRole('button', { name: 'Approve again' }));
    await waitFor(() => expect(api.calls).toHaveLength(1));
    expect(api.calls[0]).toMatchObject({ verb: 'approve', revision: rollout.revision });
  });

  test('says an approval was for another pod template when the Deployment changed, and offers Approve again', async () => {
    const rollout = views.waiting!;
    const { region } = await banner({ ...rollout, approval: approval('other-template', rollout) });
    expect(region.textContent).not.toMatch(/is approved/);
    expect(region.textContent).toContain(
      'was for another pod template: the Deployment changed since it was approved',
    );
    expect(within(region).getByRole('button', { name: 'Approve again' })).toBeTruthy();
  });

  test('says an approval naming no analysis is unbound, and offers Approve again', async () => {
    const rollout = views.progressing!;
    const { region } = await banner({ ...rollout, approval: approval('unbound', rollout) });
    expect(region.textContent).not.toMatch(/is approved/);
    expect(region.textContent).toContain('names no analysis (unbound)');
    expect(within(region).getByRole('button', { name: 'Approve again' })).toBeTruthy();
  });
});
