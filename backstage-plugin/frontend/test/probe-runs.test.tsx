/** @jest-environment jsdom */
import { describe, expect, test } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import type { HistoryEntry } from '@greenlight/backstage-plugin-greenlight-common';
import { EntityGreenlightCard } from '../src/components/EntityGreenlightCard.tsx';
import { EntityGreenlightContent } from '../src/components/EntityGreenlightContent.tsx';
import { FixtureApi, metrics, rolloutResponse, views } from './fixtures.ts';
import { renderWith } from './render.tsx';

// The prober's Events (issue 15) as the Rollout tab and the card show them.

const GREEN = views.progressing!.revision as string;
const prober = (reason: string, message: string, at: string): HistoryEntry => ({
  type: reason === 'ProbePassed' ? 'Normal' : 'Warning',
  reason,
  message,
  at,
  count: 1,
  source: 'greenlight-probe',
});
const probeEvents = [
  prober(
    'ProbeFailed',
    // As the prober words it (core's probeRunEvent).
    `rollout probe of revision ${GREEN} failed: conversation "greets" turn 2: sent "webchat \\"how are you?\\""; reply "200 {\\"reply\\":\\"Bye\\"}": does not contain "fine"`,
    '2026-01-10T10:07:00Z',
  ),
  prober(
    'ProbePassed',
    `pre-rollout probe of revision ${GREEN}: 3 requests in 120 ms`,
    '2026-01-10T10:06:00Z',
  ),
  prober(
    'ProbePassed',
    'rollout probe of revision beef001: 15 requests in 842 ms',
    '2026-01-10T09:00:00Z',
  ),
];
const withProbes = () => rolloutResponse(views.progressing!, undefined, probeEvents);

describe('the Rollout tab', () => {
  test('shows per revision the last probe run: the failed turn with its request and reply, and a pass with requests and time', async () => {
    const api = new FixtureApi({ rollout: withProbes(), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    const list = await screen.findByRole('list', { name: 'Probe runs' });
    const [failed, passed] = within(list).getAllByRole('listitem');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(failed?.textContent).toContain('c0ffee1');
    expect(failed?.textContent).toContain('rollout probe failed: does not contain "fine"');
    expect(failed?.textContent).toContain('Conversation “greets”, turn 2');
    expect(within(failed!).getByText('webchat "how are you?"').tagName).toBe('CODE');
    expect(within(failed!).getByText('200 {"reply":"Bye"}').tagName).toBe('CODE');
    expect(passed?.textContent).toContain('beef001');
    expect(passed?.textContent).toContain('rollout probe passed: 15 requests in 842 ms');
    expect(passed?.textContent).not.toContain('Conversation');
  });

  test('says so when the prober recorded no run', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.progressing!), metrics });
    await renderWith(<EntityGreenlightContent />, { api });

    expect(await screen.findByText(/No probe runs recorded/)).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Probe runs' })).toBeNull();
  });
});

describe('the overview card', () => {
  test("shows the last probe run of the revision under analysis, not the promoted one's", async () => {
    const api = new FixtureApi({ rollout: withProbes() });
    await renderWith(<EntityGreenlightCard />, { api });

    expect(await screen.findByText('rollout probe failed: does not contain "fine"')).toBeTruthy();
    expect(screen.getByText('200 {"reply":"Bye"}')).toBeTruthy();
    expect(screen.queryByText(/842 ms/)).toBeNull();
  });

  test('shows no probe line when the revision under analysis has no run', async () => {
    const api = new FixtureApi({ rollout: rolloutResponse(views.progressing!) });
    await renderWith(<EntityGreenlightCard />, { api });

    expect(await screen.findByText('Progressing')).toBeTruthy();
    expect(screen.queryByText(/probe (passed|failed)/)).toBeNull();
  });
});
