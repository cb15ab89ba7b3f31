import type { z } from 'zod';
import { english } from '../i18n/english';
import { spoken } from '../i18n/says';
import type { Translate } from '../i18n/translate';

/** Longest piece of untrusted input echoed back in an error: enough to recognise, never a flood. */
const MAX_ECHO = 80;

/** Untrusted input as short, safe text for an error message (never throws: BigInt, cycles…). */
export function echo(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value === null || ['number', 'boolean', 'undefined'].includes(typeof value)) text = String(value);
  else text = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}… (${text.length} characters)` : text;
}

const shown = (issues: z.ZodError['issues']) => issues.slice(0, 5);

/**
 * A zod error as technical text for support and logs (English, field paths included):
 * "field.path: problem; other: problem". Messages written for people (lib/i18n/says.ts) are given
 * in English here; what a person reads is `explainZodError`'s sentence.
 */
export function describeZodError(error: z.ZodError): string {
  return shown(error.issues)
    .map((issue) => {
      const text = spoken(issue.message, english) ?? issue.message;
      const message = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      const path = issue.path.map((p) => echo(String(p)).replace(/^"|"$/g, '')).join('.');
      return path ? `${path}: ${message}` : message;
    })
    .join('; ');
}

/** The messages of a zod error written for people, as `says` references (the others are technical). */
export function peopleMessages(error: z.ZodError): string[] {
  return [...new Set(shown(error.issues).map((i) => i.message).filter((m) => spoken(m, english) !== null))];
}

/**
 * A zod error for a person: `sentence`, the messages written for people in the UI language (null
 * when every problem is technical: the caller then says in its own words that nothing was
 * accepted), and `detail`, the technical description that goes under "Details".
 */
export function explainZodError(error: z.ZodError, translate: Translate): { sentence: string | null; detail: string } {
  const sentences = peopleMessages(error).map((m) => spoken(m, translate)!);
  return { sentence: sentences.length ? sentences.join(' ') : null, detail: describeZodError(error) };
}
