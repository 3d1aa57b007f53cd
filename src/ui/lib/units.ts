// Units for `size` (bytes) and `duration` (milliseconds) numbers: the widget edits a
// number in a chosen unit, the wire carries the base unit. The names (`KB`, `min`) are the
// input syntax and stay the same in every language; the labels are in the console's.

import { i18n } from '../i18n/i18n';

export interface Unit { readonly name: string; readonly label: string; readonly factor: number }

type UnitWord = 'bytes' | 'milliseconds' | 'seconds' | 'minutes' | 'hours' | 'days';

/** A unit whose label is read in the current language each time it is shown. */
function unit(name: string, factor: number, word?: UnitWord): Unit {
  return {
    name,
    factor,
    get label() {
      return word ? i18n.t(`app:units.${word}`) : name;
    },
  };
}

export const SIZE_UNITS: Unit[] = [unit('B', 1, 'bytes'), unit('KB', 1024), unit('MB', 1024 ** 2), unit('GB', 1024 ** 3), unit('TB', 1024 ** 4)];

export const DURATION_UNITS: Unit[] = [
  unit('ms', 1, 'milliseconds'),
  unit('s', 1000, 'seconds'),
  unit('min', 60_000, 'minutes'),
  unit('h', 3_600_000, 'hours'),
  unit('d', 86_400_000, 'days'),
];

/** The largest unit that shows `value` as a whole number (1536 B → 1.5 KB is not whole, so 1536 B). */
export function bestUnit(units: Unit[], value: number | null | undefined): Unit {
  if (!value) return units[0];
  for (let i = units.length - 1; i > 0; i--) if (value % units[i].factor === 0) return units[i];
  return units[0];
}

/** Exact, in the unit names the widgets take as input: `10 MB`, `90 s`. */
export function formatWithUnit(units: Unit[], value: number): string {
  const u = bestUnit(units, value);
  return `${value / u.factor} ${u.name}`;
}
