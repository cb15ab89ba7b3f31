import { useCallback, useEffect, useState } from 'react';
import { t, uiLanguage } from '../../lib/i18n';
import { platforms } from '../../lib/platforms';
import { NUDGES_KEY, type NudgeCounts } from '../../lib/detect/health';
import { readDb } from '../../lib/ui/db';
import { Details } from '../shared/Details';

type Stats = Map<string, { calls: number; manual: number; nudges: number; signals: Map<string, number> }>;

async function readStats(): Promise<Stats> {
  const byPlatform: Stats = new Map();
  const nudges = ((await readDb.meta.get(NUDGES_KEY))?.value ?? {}) as NudgeCounts;
  for (const [platform, n] of Object.entries(nudges)) byPlatform.set(platform, { calls: 0, manual: 0, nudges: n?.nudges ?? 0, signals: new Map() });
  await readDb.calls.where('admittedAt').above(0).each((c) => {
    const entry = byPlatform.get(c.platform) ?? { calls: 0, manual: 0, nudges: 0, signals: new Map() };
    entry.calls++;
    if (c.detectedBy.includes('manual')) entry.manual++;
    for (const id of c.detectedBy) entry.signals.set(id, (entry.signals.get(id) ?? 0) + 1);
    byPlatform.set(c.platform, entry);
  });
  return byPlatform;
}

/**
 * Which signals detected the calls: a platform UI change shows up here as manual starts.
 * Read on open and on request, not live: it scans every call, and a live query would rescan on
 * every change to the calls table (a retention purge makes hundreds).
 */
export function DetectionHealth() {
  const [stats, setStats] = useState<Stats | undefined>();
  const refresh = useCallback(() => void readStats().then(setStats), []);
  useEffect(refresh, [refresh]);
  return (
    <section id="detection" aria-labelledby="detection-title">
      <h2 id="detection-title">{t('options_detection_title')}</h2>
      <p className="muted">{t('options_detection_intro')} <button type="button" onClick={refresh}>{t('options_detection_refresh')}</button></p>
      <table>
        <thead>
          <tr><th>{t('options_col_platform')}</th><th>{t('options_col_calls')}</th><th>{t('options_col_manual')}</th><th>{t('options_col_nudges')}</th><th>{t('options_col_signals')}</th></tr>
        </thead>
        <tbody>
          {platforms.map((p) => {
            const s = stats?.get(p.id);
            const signals = s ? [...s.signals].filter(([id]) => id !== 'manual') : [];
            const languageFree = new Set([...p.signals.inCall].filter((x) => x.languageIndependent).map((x) => x.id));
            return (
              <tr key={p.id}>
                <td>{p.label}</td>
                <td>{s?.calls ?? 0}</td>
                <td className={s && s.manual > 0 ? 'warn' : undefined}>{s?.manual ?? 0}</td>
                <td className={s && s.nudges > 0 ? 'warn' : undefined}>{s?.nudges ?? 0}</td>
                <td>
                  {/* Signal ids are for whoever maintains detection: a count here, the ids under Details. */}
                  {signals.length > 0 ? (
                    <>
                      {t('options_signals_used', signals.length.toLocaleString(uiLanguage()))}
                      <Details text={signals.map(([id, n]) => `${languageFree.has(id) ? id : t('options_signal_text', id)}: ${n.toLocaleString(uiLanguage())}`).join('\n')} />
                    </>
                  ) : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
