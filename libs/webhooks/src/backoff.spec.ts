import { matchesEventType, retryDelay } from './backoff.js';

describe('retry schedule', () => {
  const schedule = [10_000, 30_000, 120_000];

  it('follows the schedule, jittered by at most 20 %', () => {
    expect(retryDelay(schedule, 1, () => 0)).toBe(8_000);
    expect(retryDelay(schedule, 1, () => 1)).toBe(12_000);
    expect(retryDelay(schedule, 3, () => 0.5)).toBe(120_000);
  });

  it('gives up after the last retry', () => {
    expect(retryDelay(schedule, 4)).toBeNull();
  });
});

describe('event type filters', () => {
  it.each([
    [['*'], 'login.success', true],
    [['login.success'], 'login.success', true],
    [['login.*'], 'login.failure', true],
    [['login.*'], 'loginx.failure', false],
    [['mfa.enrolled'], 'login.success', false],
    [[], 'login.success', false],
  ])('%j matches %s: %s', (filters, type, expected) => {
    expect(matchesEventType(filters, type)).toBe(expected);
  });
});
