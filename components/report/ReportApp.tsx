import { useEffect, useState } from 'react';
import { auditReportCsv, buildAuditReport, type AuditReport } from '../../lib/audit';
import { categoryLabels } from '../../lib/call/labels';
import { POLICY_LINE } from '../../lib/export/call-bundle';
import { sendRequest } from '../../lib/messages/client';
import { loadAuditInput } from '../../lib/ui/audit-data';
import { downloadText } from '../../lib/ui/download';
import { formatWhen } from '../../lib/ui/format';
import { loadPolicy } from '../../lib/ui/policy';
import { concernLabels } from '../popup/ConcernForm';
import { BarChart } from './BarChart';

const DAY = 24 * 3_600_000;
type Preset = '6m' | '12m' | 'custom';
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`);
const dur = (ms: number | null) => (ms === null ? '—' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
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
      setError('The period must start before it ends.');
      return;
    }
    void (async () => {
      const [{ policy }, verified] = await Promise.all([loadPolicy(), sendRequest({ type: 'ledger/verify' })]);
      if (!verified.ok) return setError(verified.error);
      const built = buildAuditReport(await loadAuditInput(period, policy, verified.data, now));
      setError(null);
      setReport(built);
      requestAnimationFrame(() => setRenderMs(Math.round(performance.now() - started)));
    })();
  }, [preset, custom.from, custom.to]);

  const r = report;
  return (
    <div className="report">
      <header>
        <h1>Candor audit report</h1>
        <p className="muted">{POLICY_LINE}</p>
        <div className="controls no-print" role="group" aria-label="Period">
          {(['6m', '12m', 'custom'] as const).map((p) => (
            <label key={p} className="check">
              <input type="radio" name="period" checked={preset === p} onChange={() => setPreset(p)} />
              {p === '6m' ? 'Last 6 months' : p === '12m' ? 'Last 12 months' : 'Custom'}
            </label>
          ))}
          {preset === 'custom' && (
            <>
              <label>From <input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} /></label>
              <label>To <input type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} /></label>
            </>
          )}
          {r && (
            <>
              <button type="button" onClick={() => downloadText(`candor-audit-${isoDay(r.generatedAt)}.json`, 'application/json', JSON.stringify(r, null, 2))}>Export JSON</button>
              <button type="button" onClick={() => downloadText(`candor-audit-${isoDay(r.generatedAt)}.csv`, 'text/csv', auditReportCsv(r))}>Export CSV</button>
              <button type="button" onClick={() => window.print()}>Print / PDF</button>
            </>
          )}
        </div>
        {r && <p className="muted">Period {formatWhen(r.period.from)} – {formatWhen(r.period.to)} · generated {formatWhen(r.generatedAt)}{renderMs !== null && <span className="no-print"> · built in {renderMs} ms</span>}</p>}
      </header>
      {error && <p role="alert" className="error">{error}</p>}
      {!r ? !error && <p>Building the report…</p> : (
        <main>
          <section aria-labelledby="s-consent">
            <h2 id="s-consent">Accuracy of the consent process</h2>
            <dl className="metrics">
              <Metric label="Calls detected" value={r.consent.callsDetected} />
              <Metric label="Calls admitted" value={r.consent.callsAdmitted} />
              <Metric label="Prompts shown" value={r.consent.promptsShown} />
              <Metric label="Decisions made" value={r.consent.decisionsMade} />
              <Metric label="Decided before any recording" value={r.consent.decisionsBeforeRecording} />
              <Metric label="Median admission → decision" value={dur(r.consent.medianAdmissionToDecisionMs)} />
              <Metric label="Started by hand" value={r.consent.manualStarts} />
            </dl>
            <BarChart title="Consent outcomes" data={[
              { label: 'Agreed', value: r.consent.outcomes.agreed, tone: 'ok' },
              { label: 'Declined', value: r.consent.outcomes.declined },
              { label: 'Not recorded', value: r.consent.outcomes.notRecorded },
              { label: 'Withdrawn', value: r.consent.outcomes.withdrawn },
              { label: 'No decision', value: r.consent.outcomes.pending, tone: 'warn' },
            ]} />
          </section>
          <section aria-labelledby="s-rules">
            <h2 id="s-rules">Adherence to recording rules</h2>
            <dl className="metrics">
              <Metric label="Recording before consent" value={r.recordingRules.recordingBeforeConsent} />
              <Metric label="Recording after a decline" value={r.recordingRules.recordingAfterDecline} />
              <Metric label="Median time to stop after a decline" value={dur(r.recordingRules.afterDeclineStops.medianMsToStop)} note={`(max ${dur(r.recordingRules.afterDeclineStops.maxMsToStop)})`} />
              <Metric label="Never-record calls respected" value={`${r.recordingRules.neverRecordCategories.respected} of ${r.recordingRules.neverRecordCategories.calls}`} />
              <Metric label="Late joiners asked" value={r.recordingRules.lateJoiners.nudges} note={`(${r.recordingRules.lateJoiners.agreed} agreed, ${r.recordingRules.lateJoiners.declined} declined)`} />
            </dl>
            <BarChart title="Calls by category" data={Object.entries(r.recordingRules.callsByCategory).map(([c, n]) => ({ label: c in categoryLabels ? categoryLabels[c as keyof typeof categoryLabels] : 'Not categorised', value: n }))} />
          </section>
          <section aria-labelledby="s-access">
            <h2 id="s-access">Clarity of access permissions</h2>
            <dl className="metrics">
              <Metric label="Coaching exports" value={r.access.exportsByPurpose.coaching} />
              <Metric label="Performance exports" value={r.access.exportsByPurpose.performance} />
              <Metric label="Performance exports without approval" value={r.access.performanceWithoutApproval} />
            </dl>
            {r.access.performanceExports.length > 0 && (
              <table>
                <thead><tr><th>When</th><th>What</th><th>Calls</th><th>Approved by</th><th>Reference</th></tr></thead>
                <tbody>
                  {r.access.performanceExports.map((p, i) => (
                    <tr key={i}><td>{formatWhen(p.at)}</td><td>{p.action}</td><td>{p.callCount}</td><td>{p.approver ?? '—'}</td><td>{p.reference ?? '—'}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="s-sentiment">
            <h2 id="s-sentiment">Cultural sentiment</h2>
            <dl className="metrics">
              <Metric label="Concerns raised" value={r.sentiment.total} note={`(${r.sentiment.anonymous} anonymous)`} />
              <Metric label="Open / acknowledged / resolved" value={`${r.sentiment.statusCounts.open} / ${r.sentiment.statusCounts.acknowledged} / ${r.sentiment.statusCounts.resolved}`} />
            </dl>
            <BarChart title="Concerns by category" data={Object.entries(r.sentiment.concernsByCategory).map(([c, n]) => ({ label: concernLabels[c as keyof typeof concernLabels], value: n }))} />
            {r.sentiment.concernsByMonth.length > 0 && (
              <BarChart title="Concerns by month" data={r.sentiment.concernsByMonth.map((m) => ({ label: m.month, value: Object.values(m.counts).reduce((a, b) => a + b, 0) }))} />
            )}
          </section>
          <section aria-labelledby="s-coaching">
            <h2 id="s-coaching">Coaching quality</h2>
            <dl className="metrics">
              <Metric label="Checklists due" value={r.coaching.checklistsDue} />
              <Metric label="Completed" value={r.coaching.checklistsCompleted} note={`(${pct(r.coaching.completionRate)})`} />
              <Metric label="Median time to complete" value={dur(r.coaching.medianTimeToCompleteMs)} />
              <Metric label="Human nuance filled in" value={pct(r.coaching.humanNuanceFilledRate)} />
            </dl>
          </section>
          <section aria-labelledby="s-ai">
            <h2 id="s-ai">AI summary reliability</h2>
            <dl className="metrics">
              <Metric label="AI drafts" value={r.aiReliability.drafts} />
              <Metric label="Statements checked by reps" value={`${r.aiReliability.statementsMarked} of ${r.aiReliability.statements}`} />
              <Metric label="Marked wrong" value={r.aiReliability.statementsWrong} note={`(${pct(r.aiReliability.wrongRate)} of checked)`} />
              <Metric label="“AI summary error” concerns" value={r.aiReliability.aiErrorConcerns} />
            </dl>
          </section>
          <section aria-labelledby="s-retention">
            <h2 id="s-retention">Data retention timelines</h2>
            <table>
              <thead><tr><th>Kind</th><th>Limit (days)</th><th>Oldest row (days)</th><th>Within limit</th></tr></thead>
              <tbody>
                {Object.entries(r.retention.kinds).map(([k, v]) => (
                  <tr key={k}><td>{k}</td><td>{v.limitDays}</td><td>{v.oldestAgeDays ?? '—'}</td><td className={v.withinLimit ? 'ok' : 'error'}>{v.withinLimit ? 'yes' : 'NO'}</td></tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Purges in the period: {r.retention.purgeReceipts.length ? r.retention.purgeReceipts.map((p) => `${p.count} ${p.kind} (${formatWhen(p.at)})`).join(', ') : 'none'}.</p>
          </section>
          <section aria-labelledby="s-ledger">
            <h2 id="s-ledger">Consent ledger integrity</h2>
            <p role="status" className={r.ledger.intact ? 'ok' : 'error'}>
              {r.ledger.intact ? `Intact: ${r.ledger.count} entries verified.` : `Broken at entry #${r.ledger.brokenAt.index} (seq ${String(r.ledger.brokenAt.seq)}): ${r.ledger.brokenAt.reason}`}
            </p>
          </section>
        </main>
      )}
    </div>
  );
}
