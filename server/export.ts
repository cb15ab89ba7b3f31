import type { Review } from './review';

/**
 * The review as CSV (section, metric, value) and as a plain PDF (text, A4, Helvetica). Both are
 * built from the same JSON the console shows; the JSON export is that JSON itself.
 */

/** Flattens the review into [section, metric, value] rows. */
export function reviewRows(r: Review): [string, string, string][] {
  const rows: [string, string, string][] = [
    ['review', 'period', `${r.period.from} to ${r.period.to}`],
    ['review', 'team', r.team ?? 'all teams'],
    ['review', 'generatedAt', r.generatedAt],
  ];
  const walk = (section: string, prefix: string, value: unknown) => {
    if (Array.isArray(value)) {
      if (value.length === 0) rows.push([section, prefix, '(none)']);
      value.forEach((v, i) => walk(section, `${prefix}[${i}]`, v));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(section, prefix ? `${prefix}.${k}` : k, v);
    } else rows.push([section, prefix, value === null ? '' : String(value)]);
  };
  for (const section of ['consent', 'recordingRules', 'access', 'sentiment', 'coaching', 'aiReliability', 'retention', 'ledger'] as const) {
    walk(section, '', r[section]);
  }
  return rows;
}

/** A CSV cell: quoted, and a leading = + - @ neutralised so spreadsheets never run it as a formula. */
function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function reviewCsv(r: Review): string {
  return ['section,metric,value', ...reviewRows(r).map((row) => row.map(cell).join(','))].join('\r\n') + '\r\n';
}

/** Text for a PDF string literal in WinAnsi: Latin-1 kept, anything else becomes '?'. */
function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const c = code < 32 || code > 255 ? '?' : ch;
    out += c === '(' || c === ')' || c === '\\' ? `\\${c}` : c;
  }
  return out;
}

export function reviewPdf(r: Review, nextReviewDue: string | null): Uint8Array {
  const lines: { text: string; size: number }[] = [
    { text: 'Candor - organisation review', size: 16 },
    { text: `Period ${r.period.from} to ${r.period.to} - ${r.team ?? 'all teams'} - generated ${r.generatedAt}`, size: 9 },
    { text: `Next review due: ${nextReviewDue ?? 'not set'}`, size: 9 },
    { text: '', size: 9 },
  ];
  let current = '';
  for (const [section, metric, value] of reviewRows(r).slice(3)) {
    if (section !== current) {
      lines.push({ text: '', size: 9 }, { text: section, size: 12 });
      current = section;
    }
    const line = `${metric}: ${value}`;
    for (let i = 0; i < line.length; i += 110) lines.push({ text: (i ? '    ' : '') + line.slice(i, i + 110), size: 9 });
  }
  // Pages of A4 (595 x 842 pt), 40 pt margins.
  const pages: string[] = [];
  let y = 800;
  let ops = '';
  for (const l of lines) {
    const step = l.size + 4;
    if (y - step < 40) {
      pages.push(ops);
      ops = '';
      y = 800;
    }
    y -= step;
    if (l.text) ops += `BT /F1 ${l.size} Tf 40 ${y} Td (${pdfText(l.text)}) Tj ET\n`;
  }
  pages.push(ops);

  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((content, i) => {
    const id = pageIds[i]!;
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`;
  });
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(pdf, 'latin1');
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}
