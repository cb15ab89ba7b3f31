/**
 * Splitting a pasted AI summary into statements the rep can mark right or wrong one by one.
 *
 * A line is a boundary (summaries come as bullet lists as often as paragraphs); a bullet line is
 * one statement, its marker stripped; a paragraph is cut into sentences with `Intl.Segmenter`
 * (Unicode sentence boundaries, in the text's language). The segmenter alone cuts after "Dr." or
 * "z. B." before a capital, inside a URL after "?", and after a list number ("1."), so those cuts
 * are undone here: a boundary counts only where whitespace follows the sentence's end, and not
 * after an abbreviation that never ends a sentence in that language (or in English, which
 * business text borrows everywhere). Pure: no DOM, no browser API.
 */

/** At most this many statements per draft (the rest of a huge paste is dropped). */
export const MAX_STATEMENTS = 500;

/**
 * Abbreviations that (practically) never end a sentence, without their final dot, lower case.
 * Ones that often do ("etc.", "usw.", "a.m.") are left out on purpose: cutting one sentence too
 * few is better than joining two the rep must mark as one.
 */
const abbreviations: Record<string, readonly string[]> = {
  en: ['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'e.g', 'i.e', 'cf', 'approx', 'incl', 'dept', 'est', 'fig', 'inc', 'ltd', 'corp', 'co', 'mt'],
  de: ['z.b', 'z. b', 'd.h', 'd. h', 'u.a', 'u. a', 'bzw', 'ca', 'vgl', 'ggf', 'evtl', 'inkl', 'exkl', 'zzgl', 'bzgl', 'sog', 'hr', 'fr', 'dr', 'prof', 'dipl', 'ing', 'str', 'abt', 'gem', 'lt', 'mio', 'mrd', 'o.ä', 'u.ä', 'z.t', 'z. t'],
  fr: ['m', 'mm', 'mme', 'mmes', 'mlle', 'dr', 'pr', 'me', 'p. ex', 'p.ex', 'c.-à-d', 'c-à-d', 'cf', 'env', 'av', 'bd', 'st', 'ste', 'cie', 'éd', 'vol', 'chap'],
  es: ['sr', 'sra', 'srta', 'sres', 'dr', 'dra', 'lic', 'ing', 'ud', 'uds', 'p. ej', 'p.ej', 'ej', 'aprox', 'dpto', 'av', 'avda', 'cía', 'admón', 'ee. uu', 'ee.uu', 'ee', 'vs'],
};
/** Abbreviations that are one only before a number: "No. 5", "Nr. 12", "p. 4". */
const beforeNumber = ['no', 'nr', 'nos', 'núm', 'n°', 'art', 'abs', 'p', 'pp', 'pág', 's', 'vol', 'ch', 'chap', 'q'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\. /g, '\\.\\s?').replace(/ /g, '\\s?');

function tailPattern(words: readonly string[]): RegExp {
  // The segment ends with one of the words, a dot and whitespace; the word starts the text or
  // follows a space, a bracket or a quote.
  return new RegExp(`(?:^|[\\s(\\[«"“‘'])(?:${[...words].sort((a, b) => b.length - a.length).map(escape).join('|')})\\.\\s*$`, 'iu');
}

const patterns = new Map<string, { tail: RegExp }>();
function patternsFor(language: string): { tail: RegExp } {
  let p = patterns.get(language);
  if (!p) {
    const words = new Set([...(abbreviations.en ?? []), ...(abbreviations[language] ?? (language ? [] : Object.values(abbreviations).flat()))]);
    p = { tail: tailPattern([...words]) };
    patterns.set(language, p);
  }
  return p;
}

/**
 * A single letter and a dot: an initial ("J. Smith", "M. Dupont") or the first half of "z. B.",
 * "d. h.", "p. ex.", never the end of a sentence in practice.
 */
const INITIAL = /(?:^|[\s(])\p{L}\.\s*$/u;
/** A list number on its own ("1. Pricing") or after a colon ("Agenda: 1. Pricing"). */
const NUMBERED = /(?:^|:)\s*\d{1,3}\.\s*$/u;
/** A German ordinal date ("am 3. Mai"): the number and dot, then a month. */
const ORDINAL = /(?:^|\s)\d{1,2}\.\s*$/u;
const MONTH = /^\s*(?:Jan(?:uar)?|Jän(?:ner)?|Feb(?:ruar)?|März|Mär|Apr(?:il)?|Mai|Jun[i]?|Jul[i]?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Okt(?:ober)?|Nov(?:ember)?|Dez(?:ember)?)\b/u;
const BEFORE_NUMBER = new RegExp(`(?:^|\\s)(?:${beforeNumber.map(escape).join('|')})\\.\\s*$`, 'iu');
/** Sentence ends in scripts written without spaces between sentences. */
const CLOSED_WITHOUT_SPACE = /[。！？]$/u;

/** The base language of a locale ("de-CH" → "de"); '' when none is given. */
function languageOf(locale: string | undefined): string {
  return (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/**
 * The sentences of one paragraph, trimmed, in order. `locale` is the text's language (BCP 47);
 * without one, the abbreviations of every language Candor speaks are known.
 */
export function splitSentences(text: string, locale?: string): string[] {
  const language = languageOf(locale);
  const { tail } = patternsFor(language);
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(language || 'en', { granularity: 'sentence' });
  } catch {
    segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  }
  const segments = [...segmenter.segment(text)].map((s) => s.segment);
  const sentences: string[] = [];
  let current = '';
  for (let i = 0; i < segments.length; i++) {
    current += segments[i];
    const next = segments[i + 1];
    if (next === undefined) break;
    const joined =
      // No space after the "end": inside a URL, an e-mail address, "a.b?c=d" — not a boundary.
      (!/\s$/u.test(current) && !CLOSED_WITHOUT_SPACE.test(current.trimEnd())) ||
      tail.test(current) ||
      INITIAL.test(current) ||
      NUMBERED.test(current) ||
      ((language === 'de' || language === '') && ORDINAL.test(current) && MONTH.test(next)) ||
      (BEFORE_NUMBER.test(current) && /^\s*\d/u.test(next));
    if (!joined) {
      sentences.push(current);
      current = '';
    }
  }
  sentences.push(current);
  return sentences.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A bullet or list number at the start of a line: "- ", "• ", "* ", "1. ", "2) ". */
const BULLET = /^\s*(?:[-•*‣◦▪–—]|\d{1,3}[.)])\s+/u;
/** A bullet inside a line after a sentence ends ("… pilot. • Budget …"): a new statement. */
const INLINE_BULLET = /(?<=[.!?:;])\s+(?=[-•*‣◦▪–]\s)|\s+(?=[•‣◦▪]\s)/u;

/**
 * The statements of a pasted AI summary: every line on its own, bullet lines as one statement
 * each (marker stripped), other lines cut into sentences. Empty lines are dropped; at most
 * MAX_STATEMENTS are kept.
 */
export function splitStatements(text: string, locale?: string): string[] {
  const statements: string[] = [];
  for (const line of text.split(/\r\n|\r|\n|\u2028|\u2029/u)) {
    for (const part of line.split(INLINE_BULLET)) {
      if (!part.trim()) continue;
      if (BULLET.test(part)) {
        const item = part.replace(BULLET, '').trim();
        if (item) statements.push(item);
      } else {
        statements.push(...splitSentences(part, locale));
      }
      if (statements.length >= MAX_STATEMENTS) return statements.slice(0, MAX_STATEMENTS);
    }
  }
  return statements;
}
