import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvRow, csvRows, neutralize } from './csv';

describe('csvCell', () => {
  it('leaves plain text alone', () => {
    expect(csvCell('alice@example.com')).toBe('alice@example.com');
    expect(csvCell('')).toBe('');
    expect(csvCell('Grüße, 你好')).toBe('"Grüße, 你好"');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvCell('"')).toBe('""""');
  });

  it('neutralizes cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('keeps plain numbers, negative ones too, as numbers', () => {
    expect(neutralize('-12')).toBe('-12');
    expect(neutralize('3.5')).toBe('3.5');
    expect(neutralize('-1e3')).toBe("'-1e3");
    expect(neutralize('a=b')).toBe('a=b');
  });
});

describe('csvRow', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
    expect(csvRows([['h1', 'h2'], ['1', '=2']])).toBe("h1,h2\r\n1,'=2\r\n");
    expect(csvRows([])).toBe('');
  });

  it('offers a UTF-8 byte order mark', () => {
    expect([...new TextEncoder().encode(CSV_BOM)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
