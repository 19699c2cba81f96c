/** @jest-environment jsdom */
import { describe, expect, test } from '@jest/globals';
import greenlightPlugin, {
  EntityGreenlightCard,
  EntityGreenlightContent,
  GreenlightPage,
  isGreenlightAvailable,
} from '../src/index.ts';
import { entity } from './fixtures.ts';

describe('the plugin', () => {
  test('offers the API, the Rollout tab, the card and the fleet page to the new frontend system', () => {
    for (const id of [
      'api:greenlight',
      'entity-content:greenlight/rollout',
      'entity-card:greenlight/rollout',
      'page:greenlight',
    ]) {
      expect(greenlightPlugin.getExtension(id as never)).toBeDefined();
    }
  });

  test('exports the legacy extensions', () => {
    for (const extension of [EntityGreenlightContent, EntityGreenlightCard, GreenlightPage]) {
      expect(typeof extension).toBe('function');
    }
  });

  test('is available only on entities annotated greenlight.dev/canary with <namespace>/<name>', () => {
    expect(isGreenlightAvailable(entity)).toBe(true);
    const without = { ...entity, metadata: { name: 'x', annotations: {} } };
    expect(isGreenlightAvailable(without)).toBe(false);
    const bad = {
      ...entity,
      metadata: { name: 'x', annotations: { 'greenlight.dev/canary': 'chatbot' } },
    };
    expect(isGreenlightAvailable(bad)).toBe(false);
  });
});
