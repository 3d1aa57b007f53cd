import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { MAX_FILE_BYTES, MAX_ROWS, fileTooBig, dataRecords, unneutralize } from './limits';

describe('import limits', () => {
  it('refuses a file above the size limit before reading it', () => {
    expect(fileTooBig(MAX_FILE_BYTES)).toBe(false);
    expect(fileTooBig(MAX_FILE_BYTES + 1)).toBe(true);
  });

  it('drops blank lines and rows of empty fields (a spreadsheet writes them), keeps lines right', () => {
    const records = dataRecords(parseCsv('name,x\r\n\r\nann,1\r\n,\r\n  ,\r\nbob,2\r\n\r\n'));
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([[1, 'name'], [3, 'ann'], [6, 'bob']]);
  });

  it('has a row limit a clear message can name', () => {
    expect(MAX_ROWS).toBeGreaterThanOrEqual(1000);
  });

  it("takes off the quote an export puts before a formula-like cell, and nothing else", () => {
    expect(unneutralize("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unneutralize("'-2+3")).toBe('-2+3');
    expect(unneutralize("'@home")).toBe('@home');
    expect(unneutralize("'plain")).toBe("'plain");
    expect(unneutralize('-12')).toBe('-12');
  });
});
