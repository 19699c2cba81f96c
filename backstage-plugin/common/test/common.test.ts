import { describe, expect, test } from '@jest/globals';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  greenlightPermissions,
  parseCanaryAnnotation,
  parseOwnerAnnotation,
  rolloutApprovePermission,
} from '../src/index.ts';

describe('permissions', () => {
  test('are named greenlight.rollout.* and apply to catalog entities', () => {
    expect(greenlightPermissions.map((permission) => permission.name)).toEqual([
      'greenlight.rollout.read',
      'greenlight.rollout.approve',
      'greenlight.rollout.abort',
      'greenlight.rollout.rollback',
    ]);
    for (const permission of greenlightPermissions) {
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
    expect(rolloutApprovePermission.attributes.action).toBe('update');
  });
});

describe('the greenlight.dev/canary annotation', () => {
  test('names a Canary as <namespace>/<name>', () => {
    expect(parseCanaryAnnotation(' openfaas-fn/chatbot ')).toEqual({
      namespace: 'openfaas-fn',
      name: 'chatbot',
    });
  });

  test.each([undefined, '', 'chatbot', 'a/b/c', 'Openfaas/chatbot', 'ns/', '/name'])(
    'is refused when it is %p',
    (value) => {
      expect(parseCanaryAnnotation(value)).toBeUndefined();
    },
  );
});

describe('the greenlight.dev/owner annotation', () => {
  test('names an entity as <kind>:<namespace>/<name>, compared as the catalog does (lowercase)', () => {
    expect(parseOwnerAnnotation(' Component:default/ChatBot ')).toBe('component:default/chatbot');
  });

  test.each([undefined, '', 'chatbot', 'default/chatbot', 'component:chatbot', 'a:b/c/d'])(
    'names no owner when it is %p',
    (value) => {
      expect(parseOwnerAnnotation(value)).toBeUndefined();
    },
  );
});
