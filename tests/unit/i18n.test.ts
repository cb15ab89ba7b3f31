import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeButtons } from '../../components/consent-prompt';
import { POLICY_LINE } from '../../lib/export/call-bundle';
import { formatMessage, t, type Messages } from '../../lib/i18n';
import { t as contentT } from '../../lib/i18n/content';
import * as labels from '../../lib/i18n/labels';
import * as model from '../../lib/model';

/*
 * The UI's words live in public/_locales/<locale>/messages.json (read by browser.i18n). English
 * is the default locale: every other locale must have exactly its keys and placeholders, and
 * every key the code uses must exist in English.
 */
const root = resolve(import.meta.dirname, '../..');
const localesDir = join(root, 'public/_locales');
const locales = readdirSync(localesDir).filter((d) => statSync(join(localesDir, d)).isDirectory()).sort();
const messages = Object.fromEntries(locales.map((l) => [l, JSON.parse(readFileSync(join(localesDir, l, 'messages.json'), 'utf8')) as Messages]));
const en = messages.en!;

/** Placeholders as the browser reads them: names are case-insensitive. */
function placeholders(entry: Messages[string]): Record<string, string> {
  return Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
}
const referenced = (text: string) => [...new Set([...text.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()))].sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(d.name) ? [path] : [];
  });
}
const sources = [...['components', 'lib', 'entrypoints'].flatMap((d) => sourceFiles(join(root, d))), join(root, 'wxt.config.ts')];

/** Keys the code asks for: t('key', …) calls, message keys in key maps, and __MSG_key__ in the manifest. */
function keysUsedInSource(): Map<string, string[]> {
  const prefixes = [...new Set(Object.keys(en).map((k) => k.split('_')[0]!).filter((p) => Object.keys(en).filter((k) => k.startsWith(`${p}_`)).length > 1))];
  const mapValue = new RegExp(`['"]((?:${prefixes.join('|')})_[a-z0-9_]+)['"]`, 'g');
  const used = new Map<string, string[]>();
  const add = (key: string, file: string) => used.set(key, [...(used.get(key) ?? []), relative(root, file)]);
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)) add(m[1]!, file);
    // Key maps ({ agreed: 'outcome_agreed' }) in the files that use the i18n helper.
    if (/from '[./]*(lib\/)?i18n(\/[a-z]+)?'|from '\.\/translate'/.test(text)) for (const m of text.matchAll(mapValue)) add(m[1]!, file);
    for (const m of text.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) add(m[1]!, file);
    for (const m of text.matchAll(/localizePage\(\s*['"]([^'"]+)['"]/g)) add(m[1]!, file);
  }
  return used;
}

describe('locale files', () => {
  it('are the four supported locales, English being the default', () => {
    expect(locales).toEqual(['de', 'en', 'es', 'fr']);
    expect(readFileSync(join(root, 'wxt.config.ts'), 'utf8')).toMatch(/default_locale: 'en'/);
  });

  it('use valid message names and non-empty messages', () => {
    for (const [locale, table] of Object.entries(messages)) {
      for (const [key, entry] of Object.entries(table)) {
        expect(key, `${locale}: ${key}`).toMatch(/^[A-Za-z0-9_]+$/);
        expect(entry.message.trim(), `${locale}: ${key} is empty`).not.toBe('');
      }
      // Names are case-insensitive for the browser: two keys differing in case would clash.
      const lower = Object.keys(table).map((k) => k.toLowerCase());
      expect(new Set(lower).size, locale).toBe(lower.length);
    }
  });

  it.each(locales.filter((l) => l !== 'en'))('%s has exactly the English keys (none missing, none extra)', (locale) => {
    const keys = Object.keys(messages[locale]!);
    const missing = Object.keys(en).filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(locales.filter((l) => l !== 'en'))('%s has the same placeholders as English, message by message', (locale) => {
    const differing = Object.entries(en)
      .filter(([key, entry]) => messages[locale]![key] && JSON.stringify(placeholders(messages[locale]![key]!)) !== JSON.stringify(placeholders(entry)))
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('every message uses exactly the placeholders it declares, numbered $1…$n', () => {
    for (const [locale, table] of Object.entries(messages)) {
      for (const [key, entry] of Object.entries(table)) {
        const declared = placeholders(entry);
        expect(referenced(entry.message), `${locale}: ${key}`).toEqual(Object.keys(declared).sort());
        const contents = Object.values(declared).sort();
        expect(contents, `${locale}: ${key}`).toEqual(contents.map((_, i) => `$${i + 1}`));
      }
    }
  });

  it('the manifest name and description fit the browsers’ limits in every locale', () => {
    for (const [locale, table] of Object.entries(messages)) {
      expect(table.extName!.message.length, locale).toBeLessThanOrEqual(75);
      expect(table.extDescription!.message.length, locale).toBeLessThanOrEqual(132);
      expect(table.lang!.message, locale).toBe(locale);
    }
  });
});

describe('keys used in the code', () => {
  const used = keysUsedInSource();

  it('finds the keys (the scan itself works)', () => {
    expect(used.get('prompt_outcome_agreed')).toEqual(expect.arrayContaining(['components/consent-prompt/labels.ts']));
    expect(used.get('extName')).toEqual(['wxt.config.ts']);
    expect(used.size).toBeGreaterThan(300);
  });

  it('every key used in components/, lib/, entrypoints/ and the manifest exists in English', () => {
    const missing = [...used].filter(([key]) => !(key in en)).map(([key, files]) => `${key} (${[...new Set(files)].join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('every English key is used somewhere (no dead translations)', () => {
    expect(Object.keys(en).filter((key) => key !== 'lang' && !used.has(key))).toEqual([]);
  });
});

describe('the t() helper', () => {
  it('returns the English text in unit tests (the fake browser has no i18n)', () => {
    expect(t('prompt_outcome_agreed')).toBe('Customer agreed');
    expect(contentT('prompt_outcome_declined')).toBe('Customer declined');
    expect(t('popup_checklists_to_complete', 3)).toBe('Checklists to complete (3)');
    expect(t('prompt_tagged', 'risk', '01:05')).toBe('Tagged “risk” at 01:05. Add details in the Candor popup.');
  });

  it('substitutes like the browser: named placeholders, $n, $$ and a placeholder used twice', () => {
    const entry = { message: 'Cost $$$AMOUNT$ for $Who$, $who$! ($1)', placeholders: { amount: { content: '$1' }, WHO: { content: '$2' } } };
    expect(formatMessage(entry, ['5', 'Dana'])).toBe('Cost $5 for Dana, Dana! (5)');
    expect(formatMessage({ message: 'No placeholders, $1 missing' }, [])).toBe('No placeholders,  missing');
  });

  it('the three outcome buttons are named exactly so in English', () => {
    expect({ ...outcomeButtons }).toEqual({ agreed: 'Customer agreed', declined: 'Customer declined', notRecorded: 'Not recording this call' });
  });

  it('every value of the vocabulary has a label, and every label a message', () => {
    const covers: [Record<string, string>, readonly string[]][] = [
      [labels.checklistKeys, model.checklistFieldNames],
      [labels.categoryKeys, model.callCategories],
      [labels.outcomeKeys, [...model.outcomes, 'pending']],
      [labels.concernKeys, model.concernCategories],
      [labels.concernStatusKeys, model.concernStatuses],
      [labels.ruleKeys, model.recordingRules],
      [labels.languageKeys, model.languages],
      [labels.reasonChoiceKeys, model.notRecordingReasons.filter((r) => r !== 'never-record-rule')],
      [labels.dataKeys, [...model.retentionKinds, ...Object.keys(model.backupTableSchemas)]],
    ];
    for (const [keys, values] of covers) {
      expect(Object.keys(keys).sort()).toEqual([...new Set(values)].sort());
      for (const key of Object.values(keys)) expect(en[key], key).toBeDefined();
    }
    expect(en.common_policy_line!.message).toBe(POLICY_LINE);
  });
});
