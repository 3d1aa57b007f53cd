import { describe, expect, it } from 'vitest';
import type { NavLink } from '../../schema/nav';
import { linkPages, summary, tally } from './model';

const link = (trail: string[], path: string): NavLink => ({ kind: 'link', name: trail[trail.length - 1], path, viewName: 'v', trail });
const services = link(['Settings', 'Services'], '/settings/services');
const tasks = link(['Management', 'Tasks'], '/management/tasks');
const users = link(['Management', 'Directory', 'Users'], '/management/directory/users');

describe('health words', () => {
  it('links the pages a remedy names by their trail, and nothing else', () => {
    expect(linkPages('Start it in Settings \u203a Services \u203a IMAP', [services, tasks])).toEqual([
      { text: 'Start it in ' },
      { text: 'Settings \u203a Services', link: services },
      { text: ' \u203a IMAP' },
    ]);
    expect(linkPages('Open Management \u203a Tasks, then Management \u203a Directory \u203a Users', [tasks, users])).toEqual([
      { text: 'Open ' },
      { text: 'Management \u203a Tasks', link: tasks },
      { text: ', then ' },
      { text: 'Management \u203a Directory \u203a Users', link: users },
    ]);
    // A page's own name alone is an ordinary word ("Services"), not a link.
    expect(linkPages('Restart the Services', [services])).toEqual([{ text: 'Restart the Services' }]);
    expect(linkPages('', [services])).toEqual([]);
  });

  it('sums up the checks', () => {
    const label = (s: string) => s[0].toUpperCase() + s.slice(1);
    expect(summary(tally(['healthy', 'healthy']), 'healthy', label)).toBe('All 2 components are healthy.');
    expect(summary(tally(['healthy', 'unhealthy', 'degraded', 'unhealthy']), 'healthy', label)).toBe('3 of 4 components need attention: 2 unhealthy, 1 degraded.');
    expect(summary(tally([]), 'healthy', label)).toBe('No component has been checked yet.');
  });
});
