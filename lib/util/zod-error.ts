import type { z } from 'zod';

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

/** A zod error as one sentence a person can act on: "field: problem; other: problem". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const message = issue.message.length > 200 ? `${issue.message.slice(0, 200)}…` : issue.message;
      const path = issue.path.map((p) => echo(String(p)).replace(/^"|"$/g, '')).join('.');
      return path ? `${path}: ${message}` : message;
    })
    .join('; ');
}
