import { describe, expect, test } from '@jest/globals';
import { CRD_DURATION_PATTERN, DurationSchema, parseGoDuration } from '../src/index.ts';

describe('durations', () => {
  test.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['30sec', undefined],
    ['30', undefined],
    ['', undefined],
    ['.s', undefined],
  ])('Go time.ParseDuration reads %p as %p ms', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  test.each([
    ['30s', true],
    ['1m30s', true],
    ['500ms', true],
    ['1h', false],
    ['1.5m', false],
    ['s', false],
  ])('the CRD pattern ^[0-9]+(m|s) on %p says %p', (text, matches) => {
    expect(CRD_DURATION_PATTERN.test(text)).toBe(matches);
  });

  test('a duration field needs both the CRD pattern and a Go duration', () => {
    expect(DurationSchema.safeParse('1m30s').success).toBe(true);
    expect(DurationSchema.safeParse('1h').success).toBe(false);
    expect(DurationSchema.safeParse('30sec').success).toBe(false);
  });
});
