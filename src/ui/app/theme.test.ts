// The dark palette is written twice in styles.css (a chosen dark theme, and the system's
// dark setting without a choice): both must set every colour the light palette sets.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const css = fs.readFileSync(path.join(__dirname, 'styles.css'), 'utf8');

function block(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  const body = css.slice(start + selector.length + 2, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

const isColour = (v: string) => /^(#[0-9a-f]{3,8}|rgba?\(.*\))$/i.test(v);

describe('the dark palette', () => {
  const light = block(':root');
  const chosen = block(':root[data-theme="dark"]');
  const system = block(':root:not([data-theme="light"])');

  it('sets every colour variable of the light palette, and nothing else', () => {
    const colours = [...light].filter(([, v]) => isColour(v)).map(([k]) => k).sort();
    expect(colours.length).toBeGreaterThan(20);
    expect([...chosen.keys()].sort()).toEqual(colours);
  });

  it('is the same for a chosen dark theme and for the system setting', () => {
    expect(Object.fromEntries(system)).toEqual(Object.fromEntries(chosen));
  });

  it('leaves no literal colour outside the palettes, in any stylesheet of the console', () => {
    const ui = path.join(__dirname, '..');
    const sheets = (fs.readdirSync(ui, { recursive: true }) as string[]).filter((f) => f.endsWith('.css'));
    expect(sheets.length).toBeGreaterThan(5);
    for (const sheet of sheets) {
      const text = fs.readFileSync(path.join(ui, sheet), 'utf8');
      const rules = sheet === path.join('app', 'styles.css') ? text.slice(text.indexOf('* { box-sizing')) : text;
      expect(rules.match(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/gi) ?? [], sheet).toEqual([]);
    }
  });
});
