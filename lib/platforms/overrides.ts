import type { PlatformDefinition, Signal } from './types';

type Phase = keyof PlatformDefinition['signals'];
/** A signal from the organisation's policy (`selectorOverrides`): `text` is a case-insensitive pattern. */
export interface SignalOverride {
  id: string;
  selector: string;
  text?: string;
  attribute?: string;
}
export type PlatformOverrides = Partial<Record<Phase, SignalOverride[]>>;

/**
 * The platform's signals with the organisation's overrides applied: an override with a built-in
 * signal's id replaces it, any other is added. Lets an organisation follow a platform's UI change
 * before a Candor release. A pattern that does not compile is skipped (the policy schema only
 * bounds its length); a broken selector is harmless (readSignals skips it).
 */
export function withOverrides(platform: PlatformDefinition, overrides: PlatformOverrides | null | undefined): PlatformDefinition {
  if (!overrides) return platform;
  const signals = { ...platform.signals };
  for (const phase of Object.keys(signals) as Phase[]) {
    const extra = overrides[phase];
    if (!extra?.length) continue;
    const replaced = new Map<string, Signal>();
    for (const o of extra) {
      let text: RegExp | undefined;
      try {
        text = o.text ? new RegExp(o.text, 'iu') : undefined;
      } catch {
        continue;
      }
      replaced.set(o.id, { id: o.id, selector: o.selector, ...(text ? { text } : {}), ...(o.attribute ? { attribute: o.attribute } : {}), languageIndependent: !text });
    }
    signals[phase] = [...signals[phase].filter((s) => !replaced.has(s.id)), ...replaced.values()];
  }
  return { ...platform, signals };
}
