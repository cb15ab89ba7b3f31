import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from '../context';

/**
 * The request's JSON body, at most `maxBytes` (413 beyond, checked while reading, so a huge body
 * is never held in memory), parsed and validated with `schema` (400 with a sentence otherwise).
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const tooLarge = () => new HttpError(413, 'too-large', `This request is larger than the limit of ${maxBytes} bytes.`);
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  const stream = c.req.raw.body;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'not-json', 'The request body is not JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'invalid', `The request body is not valid (${where}${issue?.message ?? 'invalid'}).`);
  }
  return parsed.data as z.infer<S>;
}
