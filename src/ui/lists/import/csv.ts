// CSV as RFC 4180 writes it: fields separated by commas, records by CRLF (LF alone too),
// fields in double quotes may hold commas, line breaks and doubled quotes (""). A leading
// byte-order mark and a last empty line are not data. Each record keeps the line it starts
// on, so a report can point at the line a person sees in their editor. Spreadsheets set to
// a language whose decimal mark is a comma (German) separate fields with ";" instead: the
// header line tells which (guessSeparator).

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(readonly line: number, readonly reason: 'unclosedQuote' | 'textAfterQuote') {
    super(`${reason} at line ${line}`);
  }
}

/** "," unless the header line (outside quotes) holds more ";" than ",". */
export function guessSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Parses a whole file. Throws CsvError where the file is not CSV (an open quote, text after a closing one). */
export function parseCsv(text: string, separator: ',' | ';' = ','): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  /** The current field was quoted: it exists even when empty. */
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const lineBreak = (at: number) => (s[at] === '\n' ? 1 : s[at] === '\r' && s[at + 1] === '\n' ? 2 : 0);
  while (i < s.length) {
    const c = s[i];
    if (c === '"' && field === '' && !quoted) {
      const opened = line;
      quoted = true;
      i++;
      for (;;) {
        if (i >= s.length) throw new CsvError(opened, 'unclosedQuote');
        if (s[i] === '"' && s[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (s[i] === '"') {
          i++;
          break;
        } else {
          if (s[i] === '\n') line++;
          field += s[i++];
        }
      }
      // After the closing quote only a separator or the end of the record may follow.
      if (i < s.length && s[i] !== separator && !lineBreak(i)) throw new CsvError(line, 'textAfterQuote');
      continue;
    }
    const br = lineBreak(i);
    if (c === separator) {
      endField();
      i++;
    } else if (br) {
      endField();
      out.push({ line: start, fields });
      fields = [];
      i += br;
      line++;
      start = line;
    } else {
      field += c;
      i++;
    }
  }
  // The last record has no line break after it, unless the file ends with one (no record then).
  if (field !== '' || quoted || fields.length > 0) {
    endField();
    out.push({ line: start, fields });
  }
  return out;
}

/** One field as CSV: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records as a CSV file: CRLF line ends, as RFC 4180 says. */
export function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
