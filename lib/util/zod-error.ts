import type { z } from 'zod';

/** A zod error as one sentence a person can act on: "field: problem; other: problem". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
