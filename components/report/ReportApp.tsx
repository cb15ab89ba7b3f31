import { useEffect, useState } from 'react';
import { auditReportCsv, withAuditLedger, type AuditLedger, type AuditReport } from '../../lib/audit';
import { auditReportJson } from '../../lib/audit/report-json';
import { t, uiLanguage, type MessageKey } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import type { Replies } from '../../lib/protocol/replies';
import { downloadText } from '../../lib/ui/download';
import { formatWhen } from '../../lib/ui/format';
import { categoryKeys, concernKeys } from '../../lib/i18n/labels';
import { dataLabel } from '../../lib/ui/format';
import { exportLabel } from '../options/ExportSection';
import { BarChart } from './BarChart';

const DAY = 24 * 3_600_000;
type Preset = '6m' | '12m' | 'custom';
const pct = (r: number | null) => (r === null ? '—' : new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(r));
/** A duration in the UI language ("42 s", "3 min", "1.5 h"). */
function dur(ms: number | null): string {
  if (ms === null) return '—';
  const [value, unit, digits] = ms < 60_000 ? [Math.round(ms / 1000), 'second', 0] : ms < 3_600_000 ? [Math.round(ms / 60_000), 'minute', 0] : [ms / 3_600_000, 'hour', 1];
  return new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit, unitDisplay: 'short', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
const presets: Record<Preset, MessageKey> = { '6m': 'report_last_6_months', '12m': 'report_last_12_months', custom: 'report_custom' };
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

function Metric({ label, value, note }: { label: string; value: string | number; note?: string }) {
  return (
    <div className="metric">
      <dt>{label}</dt>
      <dd>
        {value}
        {note && <span className="note"> {note}</span>}
      </dd>
    </div>
  );
}

/** The ledger's verification as the report states it (its kind, and the head when intact). */
function auditLedger(v: Replies['ledger/verify']): AuditLedger {
  return v.intact ? { check: v.check, intact: true, count: v.count, head: { seq: v.lastSeq, hash: v.lastHash } } : { check: v.check, intact: false, count: v.count, brokenAt: v.brokenAt };
}

/** The periodic governance review: consent, recording rules, access, sentiment, coaching, AI, retention, ledger. */
export function ReportApp() {
  const [preset, setPreset] = useState<Preset>('6m');
  const [custom, setCustom] = useState({ from: isoDay(Date.now() - 90 * DAY), to: isoDay(Date.now()) });
  const [report, setReport] = useState<AuditReport | null>(null);
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const started = performance.now();
    const now = Date.now();
    const period =
      preset === 'custom'
        ? { from: Date.parse(`${custom.from}T00:00:00Z`), to: Date.parse(`${custom.to}T23:59:59.999Z`) }
        : { from: now - (preset === '6m' ? 182 : 365) * DAY, to: now };
    if (!(period.from <= period.to)) {
      // No figures (and no export) for a period that is not one.
      setReport(null);
      setRenderMs(null);
      setError(t('report_bad_period'));
      return;
    }
    let current = true;
    void (async () => {
      // The background merges its per-day cache (lib/background/audit-cache); the ledger is checked alongside.
      const [body, verified] = await Promise.all([sendRequest({ type: 'audit/report', period }), sendRequest({ type: 'ledger/verify' })]);
      if (!current) return; // the period changed meanwhile: its own request draws the report
      if (!body.ok) return setError(body.error);
      if (!verified.ok) return setError(verified.error);
      setError(null);
      setReport(withAuditLedger(body.data, auditLedger(verified.data)));
      requestAnimationFrame(() => setRenderMs(Math.round(performance.now() - started)));
      // The routine check trusts each sealed block's seal; before the report says "verified", every
      // entry is re-hashed (docs/ledger.md, Two checks). The figures are on screen meanwhile.
      const full = await sendRequest({ type: 'ledger/verify', deep: true });
      if (!current) return;
      if (!full.ok) return setError(full.error);
      setReport(withAuditLedger(body.data, auditLedger(full.data)));
    })();
    return () => {
      current = false;
    };
  }, [preset, custom.from, custom.to]);

  // The head, to keep outside the ledger (docs/ledger.md, Anchors): the same receipt as the options page's.
  const [anchorNote, setAnchorNote] = useState<string | null>(null);
  async function anchorReceipt() {
    const reply = await sendRequest({ type: 'ledger/anchor' });
    if (!reply.ok) return setAnchorNote(reply.error);
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setAnchorNote(t('options_ledger_anchor_saved', reply.data.filename));
  }

  const r = report;
  return (
    <div className="report">
      <header>
        <h1>{t('report_title')}</h1>
        <p className="muted">{t('common_policy_line')}</p>
        <div className="controls no-print" role="group" aria-label={t('report_period')}>
          {(['6m', '12m', 'custom'] as const).map((p) => (
            <label key={p} className="check">
              <input type="radio" name="period" checked={preset === p} onChange={() => setPreset(p)} />
              {t(presets[p])}
            </label>
          ))}
          {preset === 'custom' && (
            <>
              <label>{t('report_from')} <input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} /></label>
              <label>{t('report_to')} <input type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} /></label>
            </>
          )}
          {r && (
            <>
              <button type="button" onClick={() => downloadText(`candor-audit-${isoDay(r.generatedAt)}.json`, 'application/json', `${JSON.stringify(auditReportJson(r), null, 2)}\n`)}>{t('report_export_json')}</button>
              <button type="button" onClick={() => downloadText(`candor-audit-${isoDay(r.generatedAt)}.csv`, 'text/csv', auditReportCsv(r))}>{t('report_export_csv')}</button>
              <button type="button" onClick={() => window.print()}>{t('report_print')}</button>
            </>
          )}
        </div>
        {r && <p className="muted">{t('report_period_line', formatWhen(r.period.from), formatWhen(r.period.to), formatWhen(r.generatedAt))}{renderMs !== null && <span className="no-print"> {t('report_built_in', renderMs)}</span>}</p>}
      </header>
      {error && <p role="alert" className="error">{error}</p>}
      {/* One main landmark whatever the state: the figures, "building…", or nothing for a period that is not one. */}
      {!r ? <main>{!error && <p>{t('report_building')}</p>}</main> : (
        <main>
          <section aria-labelledby="s-consent">
            <h2 id="s-consent">{t('report_consent_title')}</h2>
            <dl className="metrics">
              <Metric label={t('report_calls_detected')} value={r.consent.callsDetected} />
              <Metric label={t('report_calls_admitted')} value={r.consent.callsAdmitted} />
              <Metric label={t('report_prompts_shown')} value={r.consent.promptsShown} />
              <Metric label={t('report_decisions_made')} value={r.consent.decisionsMade} />
              {/* Of the decisions made: changes of an earlier decision, each logged as superseding it. */}
              <Metric label={t('report_decisions_changed')} value={Object.values(r.consent.decisionChanges).reduce((n, v) => n + v, 0)} />
              <Metric label={t('report_decided_before_recording')} value={r.consent.decisionsBeforeRecording} />
              <Metric label={t('report_median_to_decision')} value={dur(r.consent.medianAdmissionToDecisionMs)} />
              <Metric label={t('report_started_by_hand')} value={r.consent.manualStarts} />
            </dl>
            <BarChart title={t('report_chart_outcomes')} data={[
              { label: t('report_outcome_agreed'), value: r.consent.outcomes.agreed, tone: 'ok' },
              { label: t('report_outcome_declined'), value: r.consent.outcomes.declined },
              { label: t('report_outcome_not_recorded'), value: r.consent.outcomes.notRecorded },
              { label: t('report_outcome_withdrawn'), value: r.consent.outcomes.withdrawn },
              { label: t('report_outcome_pending'), value: r.consent.outcomes.pending, tone: 'warn' },
            ]} />
          </section>
          <section aria-labelledby="s-rules">
            <h2 id="s-rules">{t('report_rules_title')}</h2>
            <dl className="metrics">
              <Metric label={t('report_recording_before_consent')} value={r.recordingRules.recordingBeforeConsent} />
              <Metric label={t('report_recording_after_decline')} value={r.recordingRules.recordingAfterDecline} />
              <Metric label={t('report_median_stop')} value={dur(r.recordingRules.afterDeclineStops.medianMsToStop)} note={t('report_max', dur(r.recordingRules.afterDeclineStops.maxMsToStop))} />
              <Metric label={t('report_never_record_respected')} value={t('report_n_of_m', r.recordingRules.neverRecordCategories.respected, r.recordingRules.neverRecordCategories.calls)} />
              <Metric label={t('report_late_joiners')} value={r.recordingRules.lateJoiners.nudges} note={t('report_late_joiners_note', r.recordingRules.lateJoiners.agreed, r.recordingRules.lateJoiners.declined)} />
            </dl>
            <BarChart title={t('report_chart_categories')} data={Object.entries(r.recordingRules.callsByCategory).map(([c, n]) => ({ label: Object.hasOwn(categoryKeys, c) ? t(categoryKeys[c as keyof typeof categoryKeys]) : t('report_not_categorised'), value: n }))} />
          </section>
          <section aria-labelledby="s-access">
            <h2 id="s-access">{t('report_access_title')}</h2>
            <dl className="metrics">
              <Metric label={t('report_coaching_exports')} value={r.access.exportsByPurpose.coaching} />
              <Metric label={t('report_performance_exports')} value={r.access.exportsByPurpose.performance} />
              <Metric label={t('report_record_keeping_exports')} value={r.access.exportsByPurpose.recordKeeping} />
              <Metric label={t('report_performance_without_approval')} value={r.access.performanceWithoutApproval} />
            </dl>
            {r.access.performanceExports.length > 0 && (
              <table>
                <thead><tr><th>{t('report_col_when')}</th><th>{t('report_col_what')}</th><th>{t('report_col_calls')}</th><th>{t('report_col_approved_by')}</th><th>{t('report_col_reference')}</th></tr></thead>
                <tbody>
                  {r.access.performanceExports.map((p, i) => (
                    <tr key={i}><td>{formatWhen(p.at)}</td><td>{exportLabel(p.action)}</td><td>{p.callCount}</td><td>{p.approver ?? '—'}</td><td>{p.reference ?? '—'}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="s-sentiment">
            <h2 id="s-sentiment">{t('report_sentiment_title')}</h2>
            <dl className="metrics">
              <Metric label={t('report_concerns_raised')} value={r.sentiment.total} note={t('report_anonymous_note', r.sentiment.anonymous)} />
              <Metric label={t('report_concern_statuses')} value={`${r.sentiment.statusCounts.open} / ${r.sentiment.statusCounts.acknowledged} / ${r.sentiment.statusCounts.resolved}`} />
            </dl>
            <BarChart title={t('report_chart_concern_categories')} data={Object.entries(r.sentiment.concernsByCategory).map(([c, n]) => ({ label: Object.hasOwn(concernKeys, c) ? t(concernKeys[c as keyof typeof concernKeys]) : c, value: n }))} />
            {r.sentiment.concernsByMonth.length > 0 && (
              <BarChart title={t('report_chart_concern_months')} data={r.sentiment.concernsByMonth.map((m) => ({ label: m.month, value: Object.values(m.counts).reduce((a, b) => a + b, 0) }))} />
            )}
          </section>
          <section aria-labelledby="s-coaching">
            <h2 id="s-coaching">{t('report_coaching_title')}</h2>
            <dl className="metrics">
              <Metric label={t('report_checklists_due')} value={r.coaching.checklistsDue} />
              <Metric label={t('report_checklists_not_required')} value={r.coaching.checklistsNotRequired} />
              <Metric label={t('report_checklists_dismissed')} value={r.coaching.checklistsDismissed} note={t('report_dismissed_note', r.coaching.dismissedByReason['no-crm-record'])} />
              <Metric label={t('report_checklists_completed')} value={r.coaching.checklistsCompleted} note={t('report_in_parentheses', pct(r.coaching.completionRate))} />
              <Metric label={t('report_median_to_complete')} value={dur(r.coaching.medianTimeToCompleteMs)} />
              <Metric label={t('report_human_nuance')} value={pct(r.coaching.humanNuanceFilledRate)} />
            </dl>
          </section>
          <section aria-labelledby="s-ai">
            <h2 id="s-ai">{t('report_ai_title')}</h2>
            <dl className="metrics">
              <Metric label={t('report_ai_drafts')} value={r.aiReliability.drafts} />
              <Metric label={t('report_statements_checked')} value={t('report_n_of_m', r.aiReliability.statementsMarked, r.aiReliability.statements)} />
              <Metric label={t('report_marked_wrong')} value={r.aiReliability.statementsWrong} note={t('report_of_checked', pct(r.aiReliability.wrongRate))} />
              <Metric label={t('report_ai_error_concerns')} value={r.aiReliability.aiErrorConcerns} />
            </dl>
          </section>
          <section aria-labelledby="s-retention">
            <h2 id="s-retention">{t('report_retention_title')}</h2>
            <table>
              <thead><tr><th>{t('report_col_kind')}</th><th>{t('report_col_limit')}</th><th>{t('report_col_oldest')}</th><th>{t('report_col_within')}</th></tr></thead>
              <tbody>
                {Object.entries(r.retention.kinds).map(([k, v]) => (
                  <tr key={k}><td>{dataLabel(k)}</td><td>{v.limitDays}</td><td>{v.oldestAgeDays ?? '—'}</td><td className={v.withinLimit ? 'ok' : 'error'}>{v.withinLimit ? t('common_yes') : t('report_no_over_limit')}</td></tr>
                ))}
              </tbody>
            </table>
            <p className="muted">{t('report_purges', r.retention.purgeReceipts.length ? r.retention.purgeReceipts.map((p) => `${p.count} ${dataLabel(p.kind)} (${formatWhen(p.at)})`).join(', ') : t('report_purges_none'))}</p>
          </section>
          <section aria-labelledby="s-ledger">
            <h2 id="s-ledger">{t('report_ledger_title')}</h2>
            <p role="status" className={r.ledger.intact ? 'ok' : 'error'}>
              {r.ledger.intact
                ? t(r.ledger.check === 'every-entry' ? 'report_ledger_intact_full' : 'report_ledger_intact_seals', r.ledger.count.toLocaleString(uiLanguage()))
                : t('common_ledger_broken', r.ledger.brokenAt.index, String(r.ledger.brokenAt.seq), r.ledger.brokenAt.reason)}
            </p>
            {r.ledger.intact && (
              <p className="muted">
                {t('report_ledger_head', r.ledger.head.seq.toLocaleString(uiLanguage()))} <code className="hash">{r.ledger.head.hash}</code>
              </p>
            )}
            {r.ledger.intact && (
              <div className="row no-print">
                <button type="button" onClick={() => void anchorReceipt()}>{t('options_ledger_anchor')}</button>
                {anchorNote && <span className="muted" aria-live="polite">{anchorNote}</span>}
              </div>
            )}
          </section>
        </main>
      )}
    </div>
  );
}
