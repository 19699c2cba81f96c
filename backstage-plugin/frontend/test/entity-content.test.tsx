/** @jest-environment jsdom */
import { describe, expect, test } from '@jest/globals';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EntityGreenlightContent } from '../src/components/EntityGreenlightContent.tsx';
import { backendError, entity, FixtureApi, metrics, rolloutResponse, views } from './fixtures.ts';
import { renderWith } from './render.tsx';

describe('the Rollout tab', () => {
  test('shows a progressing rollout: phase, revisions linked to commits, weights, steps, history and metrics', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.progressing!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    expect(await screen.findByText('Progressing')).toBeTruthy();
    const green = screen.getByText('c0ffee1').closest('a');
    expect(green?.getAttribute('href')).toBe(
      'https://github.com/acme/chatbots/commit/c0ffee1c0ffee1c0ffee1c0ffee1c0ffee1c0ffe',
    );
    expect(
      screen.getByRole('img', { name: 'Traffic: 80% blue (primary), 20% green (canary)' }),
    ).toBeTruthy();
    expect(screen.getByText('Step 2 of 5')).toBeTruthy();
    expect(screen.getByText('0 of 3 failed checks (Flagger rolls back at 3)')).toBeTruthy();
    const history = screen.getByRole('list', { name: 'History' });
    expect(
      within(history)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      expect.stringContaining('canary weight 20'),
      expect.stringContaining('New revision detected'),
    ]);
    // Only Roll back while the analysis runs; Approve appears when Flagger waits for it.
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeTruthy();
  });

  test('draws golden metrics blue beside green with the thresholds, flagging what breaks them', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.progressing!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    const table = await screen.findByRole('table', { name: 'Golden metrics' });
    const row = within(table).getByText('Latency p99 (ms)').closest('tr') as HTMLElement;
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['Latency p99 (ms)', '80.0', '620.0', 'analysis needs ≤ 500']);
    expect((within(row).getByText('620.0') as HTMLElement).style.fontWeight).toBe('600');
    expect(screen.getByRole('img', { name: 'Success rate chart' })).toBeTruthy();
    expect(screen.getAllByTestId('threshold')).toHaveLength(2);
  });

  test('asks for approval when Flagger waits for it, and Approve sends the revision shown', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.waiting!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    expect(
      await screen.findByText(
        /Revision c0ffee1 passed its analysis and waits for approval to be promoted/,
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(api.calls).toHaveLength(1));
    expect(api.calls[0]).toEqual({
      verb: 'approve',
      revision: views.waiting!.revision,
      ref: { namespace: 'openfaas-fn', name: 'chatbot', entityRef: 'component:default/chatbot' },
    });
    expect(await screen.findByText(/Approved revision .* Flagger promotes it/)).toBeTruthy();
  });

  test('Roll back asks the backend to abort the revision shown', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.waiting!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(api.calls.map((call) => call.verb)).toEqual(['abort']));
  });

  test('disables Approve and Roll back, saying why, without the permissions', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.waiting!), metrics });
    // usePermission caches decisions per permission and entity across renders (SWR): an
    // entity of its own keeps the earlier tests' ALLOW out of this one.
    const denied = { ...entity, metadata: { ...entity.metadata, name: 'chatbot-denied' } };
    await renderWith(<EntityGreenlightContent />, { api, allow: false, entity: denied });

    const approve = await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() => expect((approve as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByRole('button', { name: 'Roll back' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(screen.getByText(/You lack the permission greenlight.rollout.approve/)).toBeTruthy();
    expect(screen.getByText(/You lack the permission greenlight.rollout.abort/)).toBeTruthy();
    fireEvent.click(approve);
    expect(api.calls).toEqual([]);
  });

  test('shows a failed rollout with the reason and no buttons', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.failed!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    expect(await screen.findByText('Failed')).toBeTruthy();
    expect(screen.getByText(/success rate 91.2% < 99%/)).toBeTruthy();
    expect(screen.getByText('3 of 3 failed checks (Flagger rolls back at 3)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Roll back' })).toBeNull();
  });

  test('shows a succeeded rollout with green promoted', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.succeeded!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    expect(await screen.findByText('Succeeded')).toBeTruthy();
    expect(screen.getByText('Revision c0ffee1 is promoted.')).toBeTruthy();
    expect(screen.getAllByText('c0ffee1')).toHaveLength(2);
    expect(screen.queryByRole('region', { name: 'Approval' })).toBeNull();
  });

  test('says a rollout without an owner cannot be approved here, naming its claimants and the fix', async () => {
    const api = new FixtureApi({
      rollout: rolloutResponse(views.waiting!, {
        owner: null,
        claimants: ['component:default/chatbot', 'component:default/copycat'],
      }),
      metrics,
    });
    await renderWith(<EntityGreenlightContent />, { api });
    expect(await screen.findByText(/has no owner, so it cannot be approved/)).toBeTruthy();
    expect(
      screen.getByText(/component:default\/chatbot, component:default\/copycat.*owner input/),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  test('says there is no rollout yet, and when it appears, before the first deploy', async () => {
    const api = new FixtureApi({
      rollout: backendError(404, 'NotFoundError', 'there is no Canary openfaas-fn/chatbot'),
      metrics,
    });
    await renderWith(<EntityGreenlightContent />, { api });
    expect(await screen.findByText('No rollout yet')).toBeTruthy();
    expect(screen.getByText(/appears after the first merge that Greenlight deploys/)).toBeTruthy();
  });

  test('explains a backend error and what to do, with a Retry', async () => {
    const api = new FixtureApi({
      rollout: backendError(
        503,
        'KubernetesUnavailableError',
        'could not list Canary: cannot reach the Kubernetes API (ECONNREFUSED)',
      ),
    });
    await renderWith(<EntityGreenlightContent />, { api });
    expect(
      await screen.findByText(/cannot reach the Kubernetes API \(ECONNREFUSED\)/),
    ).toBeTruthy();
    expect(screen.getByText(/check the greenlight.clusters configuration/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  test('points to the annotation on an entity without one', async () => {
    const api = new FixtureApi({});
    const bare = { ...entity, metadata: { name: 'other', annotations: {} } };
    await renderWith(<EntityGreenlightContent />, { api, entity: bare });
    expect((await screen.findAllByText(/greenlight.dev\/canary/)).length).toBeGreaterThan(0);
  });
});
