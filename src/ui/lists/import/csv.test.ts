import { describe, expect, it } from 'vitest';
import { CsvError, guessSeparator, parseCsv, toCsv } from './csv';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it('splits records on CRLF and LF, fields on commas', () => {
    expect(fields('a,b,c\r\n1,2,3\n4,5,6')).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5', '6']]);
  });

  it('a last line break and a byte-order mark are not data', () => {
    expect(fields('\uFEFFname,x\r\nann,1\r\n')).toEqual([['name', 'x'], ['ann', '1']]);
    expect(fields('')).toEqual([]);
  });

  it('quoted fields hold commas, doubled quotes and line breaks', () => {
    expect(fields('"a,b","say ""hi""","two\r\nlines"\r\nx,"",y')).toEqual([
      ['a,b', 'say "hi"', 'two\r\nlines'],
      ['x', '', 'y'],
    ]);
  });

  it('keeps empty fields, including the last one and a record of one empty quoted field', () => {
    expect(fields('a,,\n,\n""')).toEqual([['a', '', ''], ['', ''], ['']]);
  });

  it('remembers the line each record starts on, past quoted line breaks', () => {
    expect(parseCsv('h\n"one\ntwo"\nthree\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('a quote inside an unquoted field is data; an unclosed quote or text after one is an error with its line', () => {
    expect(fields('5" disk,b')).toEqual([['5" disk', 'b']]);
    expect(() => parseCsv('a\n"open,b\nc')).toThrow(CsvError);
    try {
      parseCsv('a\n"open,b\nc');
    } catch (e) {
      expect((e as CsvError).line).toBe(2);
      expect((e as CsvError).reason).toBe('unclosedQuote');
    }
    expect(() => parseCsv('"a"b,c')).toThrow(expect.objectContaining({ reason: 'textAfterQuote', line: 1 }));
  });

  it('toCsv quotes what needs it and reads back as written', () => {
    const rows = [['name', 'note'], ['ann', 'a, "b"\nc'], [' pad', '']];
    const text = toCsv(rows);
    expect(text).toBe('name,note\r\nann,"a, ""b""\nc"\r\n" pad",\r\n');
    expect(fields(text)).toEqual(rows);
  });
});

describe('the separator', () => {
  it('is a semicolon when the header line has more of them than commas (a spreadsheet in German writes it so)', () => {
    const text = 'Name;Beschreibung;Passwort\r\nann;"eins; zwei, drei";geheim\r\n';
    expect(guessSeparator(text)).toBe(';');
    expect(parseCsv(text, guessSeparator(text)).map((r) => r.fields)).toEqual([['Name', 'Beschreibung', 'Passwort'], ['ann', 'eins; zwei, drei', 'geheim']]);
    expect(guessSeparator('name,roles\nann,a;b;c\n')).toBe(',');
    expect(guessSeparator('"a;b",c\n')).toBe(',');
  });
});
