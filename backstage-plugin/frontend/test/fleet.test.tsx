/** @jest-environment jsdom */
import { describe, expect, test } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import type { FleetResponse } from '@greenlight/backstage-plugin-greenlight-common';
import { GreenlightFleetContent } from '../src/components/GreenlightFleetPage.tsx';
import { EntityGreenlightCard } from '../src/components/EntityGreenlightCard.tsx';
import { backendError, FixtureApi, metrics, rolloutResponse, views } from './fixtures.ts';
import { renderWith } from './render.tsx';

const fleet: FleetResponse = {
  items: [
    {
      cluster: 'sandbox',
      entityRef: 'component:default/chatbot',
      ownership: {
        owner: 'component:default/chatbot',
        claimants: ['component:default/chatbot'],
      },
      rollout: views.waiting!,
      metrics: metrics.current,
    },
    {
      cluster: 'sandbox',
      entityRef: 'component:default/faq-bot',
      ownership: {
        owner: 'component:default/faq-bot',
        claimants: ['component:default/faq-bot'],
      },
      rollout: { ...views.succeeded!, name: 'faq-bot' },
      metrics: null,
    },
  ],
  unlisted: 0,
  clusters: [{ cluster: 'sandbox', synced: true }],
  metricsSource: 'prometheus',
};

const rows = () =>
  within(screen.getByRole('table', { name: 'Rollouts' }))
    .getAllByRole('row')
    .slice(1);

describe('the fleet page', () => {
  test('lists every rollout with phase, weight and golden metrics blue / green', async () => {
    await renderWith(<GreenlightFleetContent />, { api: new FixtureApi({ fleet }) });
    expect(await screen.findByText('Rollouts (2 of 2)')).toBeTruthy();
    const [chatbot, faq] = rows();
    expect(within(chatbot!).getByText('WaitingPromotion (needs approval)')).toBeTruthy();
    expect(within(chatbot!).getByText('99.90 / 97.50')).toBeTruthy();
    expect(within(faq!).getAllByText('–').length).toBeGreaterThan(0);
  });

  test('filters by text and by waiting for approval', async () => {
    await renderWith(<GreenlightFleetContent />, { api: new FixtureApi({ fleet }) });
    fireEvent.change(await screen.findByRole('textbox', { name: 'Filter rollouts' }), {
      target: { value: 'faq' },
    });
    expect(rows()).toHaveLength(1);
    expect(screen.getByText('Rollouts (1 of 2)')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Filter rollouts' }), {
      target: { value: '' },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Waiting for approval' }));
    expect(rows().map((row) => row.textContent)).toEqual([
      expect.stringContaining('openfaas-fn/chatbot'),
    ]);
  });

  test('says what to do when there is nothing to show', async () => {
    const empty = { ...fleet, items: [], unlisted: 2 };
    await renderWith(<GreenlightFleetContent />, { api: new FixtureApi({ fleet: empty }) });
    expect(await screen.findByText('No rollouts to show')).toBeTruthy();
    expect(screen.getByText(/2 Canaries have no catalog entity/)).toBeTruthy();
  });

  test('explains a backend error', async () => {
    const api = new FixtureApi({
      fleet: backendError(503, 'ServiceUnavailableError', 'the catalog did not answer'),
    });
    await renderWith(<GreenlightFleetContent />, { api });
    expect(await screen.findByText('the catalog did not answer')).toBeTruthy();
  });
});

describe('the overview card', () => {
  test('shows the rollout at a glance with the approval banner', async () => {
    await renderWith(<EntityGreenlightCard />, {
      api: new FixtureApi({ rollout: rolloutResponse(views.waiting!) }),
    });
    expect(await screen.findByText('WaitingPromotion (needs approval)')).toBeTruthy();
    expect(
      screen.getByRole('img', { name: 'Traffic: 50% blue (primary), 50% green (canary)' }),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
  });
});
