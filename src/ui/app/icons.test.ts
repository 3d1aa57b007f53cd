import { Dot, Users } from 'lucide-react';
import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../../e2e/stalwart/schemaPages';
import { iconFor, knowsIcon } from './icons';

describe('iconFor', () => {
  it("draws the schema's names, and a dot for a name it does not know", () => {
    expect(iconFor('users')).toBe(Users);
    expect(iconFor('no-such-icon')).toBe(Dot);
    expect(iconFor(undefined)).toBe(Dot);
  });

  it("knows every icon of the Stalwart stand-in's layouts (lucide names, as Stalwart's are)", () => {
    const names = LAYOUTS.flatMap((l) => [l.icon, ...l.items.map((i) => ('link' in i ? i.link.icon : i.container.icon))]);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !knowsIcon(n))).toEqual([]);
  });
});
