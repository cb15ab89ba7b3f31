/** One field as read, and whether it was quoted (the formula guard and numbers differ by that). */
export interface CsvField {
  text: string;
  quoted: boolean;
}

/**
 * The tests' strict RFC 4180 reader, independent of the writer under test: a field is either
 * quoted (quotes doubled inside; anything else literal) or has no quote, comma, CR or LF. Records
 * end with CRLF; `finalCrlf: 'required'` also demands it after the last record and refuses empty
 * lines. A leading BOM is skipped. Anything else throws, naming what and where.
 */
export function readCsv(input: string, opts: { finalCrlf?: 'required' | 'optional' } = {}): CsvField[][] {
  const strict = opts.finalCrlf === 'required';
  const s = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvField[][] = [];
  let i = 0;
  while (i < s.length) {
    const record: CsvField[] = [];
    if (strict && s.startsWith('\r\n', i)) throw new Error(`empty line at ${i}`);
    for (;;) {
      let text = '';
      const quoted = s[i] === '"';
      if (quoted) {
        i++;
        for (;;) {
          const q = s.indexOf('"', i);
          if (q < 0) throw new Error('unterminated quoted field');
          text += s.slice(i, q);
          if (s[q + 1] !== '"') {
            i = q + 1;
            break;
          }
          text += '"';
          i = q + 2;
        }
      } else {
        const start = i;
        while (i < s.length && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
          if (s[i] === '"') throw new Error(`bare quote inside an unquoted field at ${i}`);
          i++;
        }
        text = s.slice(start, i);
      }
      record.push({ text, quoted });
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '\r' && s[i + 1] === '\n') {
        i += 2;
        break;
      }
      if (i >= s.length && !strict) break;
      throw new Error(i >= s.length ? 'last record does not end with CRLF' : `unexpected (bare) ${JSON.stringify(s[i])} outside quotes at ${i}`);
    }
    records.push(record);
  }
  return records;
}

/** The cells' text only, last CRLF optional. */
export const parseCsv = (input: string): string[][] => readCsv(input).map((r) => r.map((f) => f.text));

/**
 * The cells as a spreadsheet reads a CSV with the given list separator: a double quote opens or
 * closes quoting wherever it appears (two in a row inside quotes are one literal quote), and only
 * a separator or line break outside quotes ends a cell. This is how Excel and LibreOffice read a
 * file whose separator is not the one they expect: the quotes still hold each field together.
 */
export function spreadsheetCells(input: string, separator: string): string[] {
  const s = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const cells: string[] = [];
  let text = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      if (quoted && s[i + 1] === '"') {
        text += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && (c === separator || c === '\r' || c === '\n')) {
      cells.push(text);
      text = '';
      if (c === '\r' && s[i + 1] === '\n') i++;
    } else text += c;
  }
  if (text !== '' || quoted) cells.push(text);
  return cells;
}
