/** @jest-environment jsdom */
// "Roll back to <revision>" on the Rollout tab: shown once a revision promoted before is on
// record and no rollout is under way, it sends that revision; without the permission it is
// disabled and says which permission is missing.
import { describe, expect, test } from '@jest/globals';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { RolloutView } from '@greenlight/backstage-plugin-greenlight-common';
import { EntityGreenlightContent } from '../src/components/EntityGreenlightContent.tsx';
import { entity, FixtureApi, metrics, rolloutResponse, views } from './fixtures.ts';
import { renderWith } from './render.tsx';

const back: RolloutView = {
  ...views.succeeded!,
  rollbackTo: {
    revision: 'beef000beef000beef000beef000beef000beef0',
    at: '2026-01-09T09:00:00.000Z',
    images: { chatbot: 'ghcr.io/acme/chatbot:beef000' },
  },
};

describe('the rollback button', () => {
  test('rolls back to the revision it names', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(back), metrics });
    await renderWith(<EntityGreenlightContent />, { api });
    const region = await screen.findByRole('region', { name: 'Rollback' });
    // The images the record names, before the click: the record is the deploy's to write.
    expect(region.textContent).toContain('A rollback brings back ghcr.io/acme/chatbot:beef000.');
    fireEvent.click(within(region).getByRole('button', { name: 'Roll back to beef000' }));
    await waitFor(() => expect(api.calls).toHaveLength(1));
    expect(api.calls[0]).toMatchObject({
      verb: 'rollback',
      revision: 'beef000beef000beef000beef000beef000beef0',
    });
    expect((await within(region).findByRole('status')).textContent).toBe(
      'Rolling back to revision beef000: Flagger analyses it now.',
    );
  });

  test('is disabled without greenlight.rollout.rollback, and says so', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(back), metrics });
    // usePermission caches decisions per entity (SWR): one of its own keeps earlier ALLOWs out.
    const denied = { ...entity, metadata: { ...entity.metadata, name: 'chatbot-no-rollback' } };
    await renderWith(<EntityGreenlightContent />, { api, allow: false, entity: denied });
    const region = await screen.findByRole('region', { name: 'Rollback' });
    const button = within(region).getByRole('button', { name: 'Roll back to beef000' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(true));
    expect(region.textContent).toContain('You lack the permission greenlight.rollout.rollback');
  });

  test('is not shown with no earlier revision, nor while a rollout is under way', async () => {
    for (const rollout of [
      views.succeeded!,
      { ...views.progressing!, rollbackTo: back.rollbackTo! },
    ]) {
      const api = new FixtureApi({ rollout: rolloutResponse(rollout), metrics });
      const { unmount } = await renderWith(<EntityGreenlightContent />, { api });
      await screen.findByText(/Rollout of openfaas-fn\/chatbot/);
      expect(screen.queryByRole('region', { name: 'Rollback' })).toBeNull();
      unmount();
    }
  });
});
