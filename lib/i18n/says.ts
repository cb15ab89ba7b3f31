import type { MessageKey, Substitution, Translate } from './translate';

/**
 * A message written for people, stored where only a string fits (a zod schema's error message, a
 * policy issue): a reference to the message (its key and substitutions), not its text. It is
 * translated when shown, so one refusal reads in the rep's language on the page and in English in
 * the technical detail, and any other message (zod's own, about field types) is known to be
 * technical: it goes under "Details", never into the sentence.
 */
const PREFIX = 'candor-says:';

/** A substitution that is itself a message (a field's label), translated with the sentence. */
export interface Said { key: MessageKey }

export function says(key: MessageKey, ...substitutions: (Substitution | Said)[]): string {
  return PREFIX + JSON.stringify([key, ...substitutions]);
}

const isSaid = (s: unknown): s is Said => typeof s === 'object' && s !== null && typeof (s as Said).key === 'string';

/** The sentence a `says` reference stands for, in `translate`'s language; null for any other text. */
export function spoken(message: string, translate: Translate): string | null {
  if (!message.startsWith(PREFIX)) return null;
  try {
    const [key, ...substitutions] = JSON.parse(message.slice(PREFIX.length)) as unknown[];
    if (typeof key !== 'string') return null;
    const texts = substitutions.map((s) => (isSaid(s) ? translate(s.key) : typeof s === 'string' || typeof s === 'number' ? s : null));
    if (texts.includes(null)) return null;
    return translate(key as MessageKey, ...(texts as Substitution[]));
  } catch {
    return null;
  }
}
