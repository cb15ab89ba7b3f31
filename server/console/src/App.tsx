import { useEffect, useState, type FormEvent } from 'react';
import { Admin } from './Admin';
import { api, ApiError, when, type Account } from './api';
import { Review } from './Review';

type View = 'review' | 'ledgers' | 'events' | 'concerns' | 'approvals' | 'admin';
const VIEWS: { id: View; label: string; roles: Account['role'][] }[] = [
  { id: 'review', label: 'Review', roles: ['admin', 'compliance', 'manager'] },
  { id: 'ledgers', label: 'Ledgers', roles: ['admin', 'compliance', 'manager'] },
  { id: 'events', label: 'Consent events', roles: ['admin', 'compliance'] },
  { id: 'concerns', label: 'Concerns', roles: ['admin', 'compliance'] },
  { id: 'approvals', label: 'Approvals', roles: ['admin', 'compliance'] },
  { id: 'admin', label: 'Administration', roles: ['admin'] },
];

function Login({ onDone }: { onDone: (a: Account) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onDone((await api<{ account: Account }>('/api/console/login', { email, password })).account);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="login" onSubmit={(e) => void submit(e)}>
      <h1>Candor console</h1>
      <label>Email <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
      <label>Password <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
      <button type="submit">Sign in</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

function Ledgers() {
  const [reps, setReps] = useState<any[] | null>(null);
  useEffect(() => void api('/api/console/reps').then((r) => setReps(r.reps)), []);
  if (!reps) return <p>Loading…</p>;
  return (
    <section aria-labelledby="h-ledgers">
      <h2 id="h-ledgers">Ledger status per rep</h2>
      <table>
        <thead><tr><th>Rep</th><th>Team</th><th>Verified</th><th>Received up to</th><th>Status</th><th>Last checkpoint</th><th>Last seen</th></tr></thead>
        <tbody>
          {reps.map((r) => (
            <tr key={r.rep}>
              <td>{r.name ? `${r.name} (${r.rep})` : r.rep}{r.revoked ? ' — revoked' : ''}</td>
              <td>{r.team}</td>
              <td>{r.verifiedSeq === null ? '—' : `seq ${r.firstSeq}–${r.verifiedSeq}`}</td>
              <td>{r.receivedUpTo ?? '—'}</td>
              <td className={r.flag ? 'flag' : r.gap ? '' : 'ok'}>{r.flag ? `${r.flag} at seq ${r.flagSeq}: ${r.flagReason}` : r.gap ? 'gap (records still arriving)' : r.verifiedSeq === null ? 'no records' : 'verified'}</td>
              <td>{when(r.lastCheckpointAt)}</td>
              <td>{when(r.lastSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Events() {
  const [events, setEvents] = useState<any[] | null>(null);
  useEffect(() => void api('/api/console/consent-events').then((r) => setEvents(r.events)), []);
  if (!events) return <p>Loading…</p>;
  return (
    <section aria-labelledby="h-events">
      <h2 id="h-events">Latest consent events</h2>
      <table>
        <thead><tr><th>When</th><th>Rep</th><th>Seq</th><th>Event</th><th>Call type</th><th>Platform</th><th>Call</th></tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={`${e.rep}-${e.seq}`}><td>{when(e.at)}</td><td>{e.rep}</td><td>{e.seq}</td><td>{e.type}</td><td>{e.category ?? '—'}</td><td>{e.platform}</td><td>{e.callId}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ConcernRow({ c, onSaved }: { c: any; onSaved: () => void }) {
  const [status, setStatus] = useState(c.status);
  const [reply, setReply] = useState(c.reply ?? '');
  const [note, setNote] = useState<string | null>(null);
  const save = async () => {
    try {
      await api(`/api/console/concerns/${c.id}`, { status, reply: reply || null });
      setNote('Saved');
      onSaved();
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  return (
    <tr>
      <td>{when(c.createdAt)}</td>
      <td>{c.anonymous ? 'anonymous' : c.rep}</td>
      <td>{c.category}</td>
      {/* Record text is always rendered as text, never as HTML. */}
      <td className="text">{c.text}</td>
      <td>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open">open</option>
          <option value="acknowledged">acknowledged</option>
          <option value="resolved">resolved</option>
        </select>
      </td>
      <td><textarea aria-label="Reply to the rep" value={reply} maxLength={2000} onChange={(e) => setReply(e.target.value)} rows={2} /></td>
      <td><button type="button" onClick={() => void save()}>Save</button> {note && <span role="status">{note}</span>}</td>
    </tr>
  );
}

function Concerns() {
  const [concerns, setConcerns] = useState<any[] | null>(null);
  const load = () => void api('/api/console/concerns').then((r) => setConcerns(r.concerns));
  useEffect(load, []);
  if (!concerns) return <p>Loading…</p>;
  return (
    <section aria-labelledby="h-concerns">
      <h2 id="h-concerns">Concerns</h2>
      <p className="muted">The rep sees the status and the reply in the extension. Anonymous concerns carry no rep.</p>
      <table>
        <thead><tr><th>Raised</th><th>Rep</th><th>Category</th><th>Concern</th><th>Status</th><th>Reply</th><th /></tr></thead>
        <tbody>{concerns.map((c) => <ConcernRow key={c.id} c={c} onSaved={load} />)}</tbody>
      </table>
    </section>
  );
}

function Approvals() {
  const [list, setList] = useState<any[]>([]);
  const [form, setForm] = useState({ reference: '', scope: '', days: 14, maxUses: 1 });
  const [issued, setIssued] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => void api('/api/console/approvals').then((r) => setList(r.approvals));
  useEffect(load, []);
  const issue = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const res = await api('/api/console/approvals', { reference: form.reference, scope: form.scope || null, days: form.days, maxUses: form.maxUses });
      setIssued(res.code);
      setError(null);
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section aria-labelledby="h-approvals">
      <h2 id="h-approvals">Approvals for performance use</h2>
      <form className="inline" onSubmit={(e) => void issue(e)}>
        <label>Reference <input value={form.reference} onChange={(e) => setForm({ ...form, reference: e.target.value })} required maxLength={200} /></label>
        <label>Rep id (empty: any rep) <input value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value })} maxLength={120} /></label>
        <label>Valid days <input type="number" min={1} max={365} value={form.days} onChange={(e) => setForm({ ...form, days: Number(e.target.value) })} /></label>
        <label>Uses <input type="number" min={1} max={100} value={form.maxUses} onChange={(e) => setForm({ ...form, maxUses: Number(e.target.value) })} /></label>
        <button type="submit">Issue approval</button>
      </form>
      {issued && <p role="status">Approval code (shown once): <span className="code" data-testid="approval-code">{issued}</span></p>}
      {error && <p role="alert" className="error">{error}</p>}
      <table>
        <thead><tr><th>Issued</th><th>Reference</th><th>Approver</th><th>Rep</th><th>Used</th><th>Expires</th><th /></tr></thead>
        <tbody>
          {list.map((a) => (
            <tr key={a.id}>
              <td>{when(a.issuedAt)}</td><td>{a.reference}</td><td>{a.approverName} ({a.approverRole})</td><td>{a.scope ?? 'any'}</td>
              <td>{a.uses} of {a.maxUses}</td><td>{when(a.expiresAt)}</td>
              <td>{a.revokedAt ? 'revoked' : <button type="button" onClick={() => void api(`/api/console/approvals/${a.id}/revoke`, {}).then(load)}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function App() {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [view, setView] = useState<View>('review');
  useEffect(() => {
    api<{ account: Account }>('/api/console/me')
      .then((r) => setAccount(r.account))
      .catch((e) => setAccount(e instanceof ApiError && e.status === 401 ? null : null));
  }, []);
  if (account === undefined) return <div className="report"><p>Loading…</p></div>;
  if (account === null) return <div className="report"><Login onDone={setAccount} /></div>;
  const logout = async () => {
    await api('/api/console/logout', {}).catch(() => undefined);
    setAccount(null);
  };
  return (
    <div className="report">
      <header>
        <h1>Candor — organisation review</h1>
        <p className="muted">Signed in as {account.name} ({account.role}{account.team ? `, team ${account.team}` : ''}) · <button type="button" onClick={() => void logout()}>Sign out</button></p>
        <nav className="no-print" aria-label="Console">
          {VIEWS.filter((v) => v.roles.includes(account.role)).map((v) => (
            <button key={v.id} type="button" aria-current={view === v.id ? 'page' : undefined} onClick={() => setView(v.id)}>{v.label}</button>
          ))}
        </nav>
      </header>
      {view === 'review' && <Review account={account} />}
      {view === 'ledgers' && <Ledgers />}
      {view === 'events' && <Events />}
      {view === 'concerns' && <Concerns />}
      {view === 'approvals' && <Approvals />}
      {view === 'admin' && <Admin />}
    </div>
  );
}
