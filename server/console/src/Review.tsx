import { useEffect, useState } from 'react';
import { BarChart } from '../../../components/report/BarChart';
import { api, dur, isoDay, pct, when, type Account } from './api';

const DAY = 86_400_000;
type Preset = '6m' | '12m' | 'custom';

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

/** The leadership review: the seven points across reps and teams, for 6, 12 months or any range. */
export function Review({ account }: { account: Account }) {
  const [preset, setPreset] = useState<Preset>('6m');
  const [custom, setCustom] = useState({ from: isoDay(Date.now() - 90 * DAY), to: isoDay(Date.now()) });
  const [team, setTeam] = useState('');
  const [r, setR] = useState<any>(null);
  const [error, setError] = useState<string | null>(null);
  const [ms, setMs] = useState<number | null>(null);

  const now = Date.now();
  const period = preset === 'custom' ? custom : { from: isoDay(now - (preset === '6m' ? 182 : 365) * DAY), to: isoDay(now) };
  const qs = new URLSearchParams({ from: period.from, to: period.to, ...(team ? { team } : {}) }).toString();

  useEffect(() => {
    const started = performance.now();
    api(`/api/console/review?${qs}`)
      .then((data) => {
        setR(data);
        setError(null);
        setMs(Math.round(performance.now() - started));
      })
      .catch((e: Error) => setError(e.message));
  }, [qs]);

  const markDone = async () => {
    try {
      const res = await api('/api/console/review/done', {});
      setR({ ...r, nextReviewDue: res.nextReviewDue });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <>
      <div className="controls no-print" role="group" aria-label="Period">
        {(['6m', '12m', 'custom'] as const).map((p) => (
          <label key={p} className="check">
            <input type="radio" name="period" checked={preset === p} onChange={() => setPreset(p)} />
            {p === '6m' ? 'Last 6 months' : p === '12m' ? 'Last 12 months' : 'Custom range'}
          </label>
        ))}
        {preset === 'custom' && (
          <>
            <label>From <input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} /></label>
            <label>To <input type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} /></label>
          </>
        )}
        {!(account.role === 'manager' && account.team) && (
          <label>Team <input value={team} placeholder="all teams" onChange={(e) => setTeam(e.target.value.trim())} size={12} /></label>
        )}
        <a href={`/api/console/review?${qs}&download=1`} download>Export JSON</a>
        <a href={`/api/console/review.csv?${qs}`} download>Export CSV</a>
        <a href={`/api/console/review.pdf?${qs}`} download>Export PDF</a>
        {account.role !== 'manager' && <button type="button" onClick={() => void markDone()}>Mark this review done</button>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!r ? !error && <p>Building the review…</p> : (
        <main>
          <p className="muted">
            {r.period.from} to {r.period.to} · {r.team ?? 'all teams'} · next review due <strong>{r.nextReviewDue ?? 'not set'}</strong>
            {ms !== null && <span className="no-print"> · built in {ms} ms</span>}
          </p>
          <section aria-labelledby="s-consent">
            <h2 id="s-consent">Accuracy of the consent process</h2>
            <dl className="metrics">
              <Metric label="Consent records" value={r.consent.records} />
              <Metric label="Asked" value={r.consent.asked} />
              <Metric label="Agreed" value={r.consent.agreed} />
              <Metric label="Declined" value={r.consent.declined} />
              <Metric label="Not recorded" value={r.consent.notRecorded} />
              <Metric label="Withdrawn" value={r.consent.withdrawn} />
              <Metric label="Late joiners" value={r.consent.lateJoiners.agreed + r.consent.lateJoiners.declined + r.consent.lateJoiners.dismissed} note={`${r.consent.lateJoiners.agreed} agreed, ${r.consent.lateJoiners.declined} declined`} />
            </dl>
            <table>
              <thead><tr><th>Call type</th><th>Asked</th><th>Agreed</th><th>Declined</th><th>Not recorded</th><th>Withdrawn</th></tr></thead>
              <tbody>
                {Object.entries(r.consent.byCallType as Record<string, Record<string, number>>).map(([cat, v]) => (
                  <tr key={cat}><td>{cat}</td><td>{v.asked}</td><td>{v.agreed}</td><td>{v.declined}</td><td>{v['not-recorded']}</td><td>{v.withdrawn}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="s-rules">
            <h2 id="s-rules">Adherence to recording rules</h2>
            <dl className="metrics">
              <Metric label="Recording before consent" value={r.recordingRules.recordingBeforeConsent} />
              <Metric label="Recording after a decline" value={r.recordingRules.recordingAfterDecline} />
              <Metric label="Recording under a never-record rule" value={r.recordingRules.neverRecordViolations} />
            </dl>
            <BarChart title="Decisions by rule" data={Object.entries(r.recordingRules.decisionsByRule as Record<string, number>).map(([label, value]) => ({ label, value }))} />
          </section>
          <section aria-labelledby="s-access">
            <h2 id="s-access">Access review</h2>
            <dl className="metrics">
              <Metric label="Coaching exports" value={r.access.exportsByPurpose.coaching} />
              <Metric label="Performance exports" value={r.access.exportsByPurpose.performance} />
              <Metric label="Performance exports without approval" value={r.access.performanceWithoutApproval} />
            </dl>
            {r.access.performanceExports.length > 0 && (
              <table>
                <thead><tr><th>When</th><th>Rep</th><th>What</th><th>Calls</th><th>Approved by</th><th>Reference</th><th>Source</th></tr></thead>
                <tbody>
                  {r.access.performanceExports.map((p: any, i: number) => (
                    <tr key={i}><td>{when(p.at)}</td><td>{p.rep}</td><td>{p.action}</td><td>{p.callCount}</td><td>{p.approver ?? '—'}</td><td>{p.reference ?? '—'}</td><td>{p.source}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="s-sentiment">
            <h2 id="s-sentiment">Cultural sentiment</h2>
            <dl className="metrics">
              <Metric label="Concerns raised" value={r.sentiment.total} note={`${r.sentiment.anonymous} anonymous`} />
              <Metric label="Open / acknowledged / resolved" value={`${r.sentiment.statusCounts.open} / ${r.sentiment.statusCounts.acknowledged} / ${r.sentiment.statusCounts.resolved}`} />
            </dl>
            <BarChart title="Concerns by category" data={Object.entries(r.sentiment.concernsByCategory as Record<string, number>).map(([label, value]) => ({ label, value }))} />
            {r.sentiment.concernsByMonth.length > 0 && (
              <BarChart title="Concerns by month" data={r.sentiment.concernsByMonth.map((m: any) => ({ label: m.month, value: Object.values(m.counts as Record<string, number>).reduce((a, b) => a + b, 0) }))} />
            )}
          </section>
          <section aria-labelledby="s-coaching">
            <h2 id="s-coaching">Coaching quality</h2>
            <dl className="metrics">
              <Metric label="Checklists due" value={r.coaching.checklistsDue} />
              <Metric label="Completed" value={r.coaching.checklistsCompleted} note={`(${pct(r.coaching.completionRate)})`} />
              <Metric label="Dismissed" value={r.coaching.checklistsDismissed} />
              <Metric label="Median time to complete" value={r.coaching.medianTimeToComplete ? `${dur(r.coaching.medianTimeToComplete.fromMs)}–${r.coaching.medianTimeToComplete.toMs === null ? '…' : dur(r.coaching.medianTimeToComplete.toMs)}` : '—'} />
              <Metric label="Human nuance filled in" value={pct(r.coaching.humanNuanceFilledRate)} />
            </dl>
          </section>
          <section aria-labelledby="s-ai">
            <h2 id="s-ai">AI summary reliability</h2>
            <dl className="metrics">
              <Metric label="Statements checked" value={`${r.aiReliability.statementsMarked} of ${r.aiReliability.statements}`} />
              <Metric label="Marked wrong" value={r.aiReliability.statementsWrong} note={`${pct(r.aiReliability.wrongRate)} of checked`} />
              <Metric label="AI-error concerns" value={r.aiReliability.aiErrorConcerns} />
            </dl>
          </section>
          <section aria-labelledby="s-retention">
            <h2 id="s-retention">Retention</h2>
            <p className={r.retention.overduePurges.length ? 'error' : 'ok'}>
              {r.retention.overduePurges.length ? `${r.retention.overduePurges.length} installs with overdue purges` : 'No overdue purges'}
            </p>
            {r.retention.purgesByInstall.length > 0 && (
              <table>
                <thead><tr><th>Rep</th><th>Kind</th><th>Purges</th><th>Rows purged</th><th>Last</th></tr></thead>
                <tbody>
                  {r.retention.purgesByInstall.slice(0, 200).map((p: any) => (
                    <tr key={`${p.rep}-${p.kind}`}><td>{p.rep}</td><td>{p.kind}</td><td>{p.purges}</td><td>{p.rows}</td><td>{when(p.lastAt)}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="s-ledger">
            <h2 id="s-ledger">Consent ledgers</h2>
            <BarChart title="Reps by ledger status" data={Object.entries(r.ledger as Record<string, number>).map(([label, value]) => ({ label, value, tone: label === 'ok' ? 'ok' : label === 'gap' || label === 'empty' ? undefined : 'warn' }))} />
          </section>
        </main>
      )}
    </>
  );
}
