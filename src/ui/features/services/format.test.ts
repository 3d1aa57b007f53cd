import { describe, expect, it } from 'vitest';
import { formatPorts, formatUptime, outcomeTitle, progressText } from './format';

describe('service page words', () => {
  it('formats uptime at a useful precision', () => {
    expect(formatUptime(0)).toBe('0 s');
    expect(formatUptime(59_900)).toBe('59 s');
    expect(formatUptime(303_000)).toBe('5 min 3 s');
    expect(formatUptime((2 * 3600 + 5 * 60 + 9) * 1000)).toBe('2 h 5 min');
    expect(formatUptime((3 * 86_400 + 4 * 3600) * 1000)).toBe('3 d 4 h');
    expect(formatUptime(-5)).toBe('0 s');
  });

  it('lists ports in numeric order', () => {
    expect(formatPorts({ '993': true, '143': true })).toBe('143, 993');
    expect(formatPorts({ '10143': true, '9993': true })).toBe('9993, 10143');
    expect(formatPorts(null)).toBe('');
  });

  it('says what an action does and how it ended', () => {
    expect(progressText('stop', 'IMAP', 'on every node')).toBe('Stopping IMAP on every node…');
    expect(outcomeTitle('restart', 'IMAP', 'on mx1', true)).toBe('Restart of IMAP on mx1 done');
    expect(outcomeTitle('status', 'IMAP', 'on mx1', false)).toBe('Status check of IMAP on mx1 failed');
  });
});
