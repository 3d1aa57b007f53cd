// The mailbox path rules of seed 002 as mail/mailboxes.ts applies them, before doveadm is
// ever asked: what is refused and why, INBOX's case, and the parents of a path.

import { describe, expect, it } from 'vitest';
import { isInbox, isWithin, mailboxNameProblem, normalizeMailboxName, parentNames } from './mailboxes';

describe('mailbox names', () => {
  it('accepts plain, nested and non-ASCII paths', () => {
    for (const ok of ['INBOX', 'work', 'INBOX.work', 'a.b.c', 'Entw\u00fcrfe', 'with space', 'x'.repeat(254), '\u00fc'.repeat(94)]) expect(mailboxNameProblem(ok), ok).toBeNull();
  });

  it('refuses what seed 002 and Maildir++ refuse, saying which rule', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/], ['a#b', /"#"/], ['a&b', /"&"/], ['50%', /"%"/], ['a*', /"\*"/], ['#&', /"#", "&"/],
      ['a/b', /"\/"/], ['.a', /start or end/], ['a.', /start or end/], ['a..b', /empty level/],
      ['a\u0001b', /control/], ['a. b', /space/], ['x'.repeat(255), /at most 254 characters/], ['\u00fc'.repeat(95), /at most 254 bytes/], ['&'.repeat(128), /"&"/],
    ];
    for (const [name, why] of cases) expect(mailboxNameProblem(name), JSON.stringify(name)).toMatch(why);
  });

  it('writes INBOX in capitals, at the top level only', () => {
    expect(normalizeMailboxName('inbox')).toBe('INBOX');
    expect(normalizeMailboxName('Inbox.work')).toBe('INBOX.work');
    expect(normalizeMailboxName('work.inbox')).toBe('work.inbox');
    expect(isInbox('iNbOx')).toBe(true);
    expect(isInbox('INBOX.work')).toBe(false);
  });

  it('lists the parents of a path outermost first', () => {
    expect(parentNames('a')).toEqual([]);
    expect(parentNames('a.b.c')).toEqual(['a', 'a.b']);
    expect(isWithin('a.b', 'a')).toBe(true);
    expect(isWithin('ab', 'a')).toBe(false);
  });
});
