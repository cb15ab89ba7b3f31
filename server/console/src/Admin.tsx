import { useEffect, useState, type FormEvent } from 'react';
import { api, when } from './api';

/** Enrollment codes, installs' names, accounts and the org's settings (admin only). */
export function Admin() {
  const [codes, setCodes] = useState<any[]>([]);
  const [accounts, setAccounts] = useState<any[]>([]);
  const [settings, setSettings] = useState<any>(null);
  const [codeForm, setCodeForm] = useState({ team: 'default', days: 14, maxUses: 50 });
  const [newCode, setNewCode] = useState<string | null>(null);
  const [acc, setAcc] = useState({ email: '', name: '', role: 'manager', team: '', password: '' });
  const [message, setMessage] = useState<string | null>(null);
  const load = () => {
    void api('/api/console/enrollment-codes').then((r) => setCodes(r.codes));
    void api('/api/console/accounts').then((r) => setAccounts(r.accounts));
    void api('/api/console/settings').then((r) => setSettings(r.settings));
  };
  useEffect(load, []);
  const run = (p: Promise<unknown>) => p.then(() => { setMessage('Saved'); load(); }).catch((e: Error) => setMessage(e.message));

  const createCode = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const res = await api('/api/console/enrollment-codes', codeForm);
      setNewCode(res.code);
      load();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };

  return (
    <>
      {message && <p role="status">{message}</p>}
      <section aria-labelledby="h-codes">
        <h2 id="h-codes">Enrollment codes</h2>
        <form className="inline" onSubmit={(e) => void createCode(e)}>
          <label>Team <input value={codeForm.team} onChange={(e) => setCodeForm({ ...codeForm, team: e.target.value })} required maxLength={80} /></label>
          <label>Valid days <input type="number" min={1} max={365} value={codeForm.days} onChange={(e) => setCodeForm({ ...codeForm, days: Number(e.target.value) })} /></label>
          <label>Uses <input type="number" min={1} value={codeForm.maxUses} onChange={(e) => setCodeForm({ ...codeForm, maxUses: Number(e.target.value) })} /></label>
          <button type="submit">Create code</button>
        </form>
        {newCode && <p role="status">Enrollment code (shown once): <span className="code">{newCode}</span></p>}
        <table>
          <thead><tr><th>Team</th><th>Created</th><th>Expires</th><th>Used</th><th /></tr></thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id}><td>{c.team}</td><td>{when(c.createdAt)}</td><td>{when(c.expiresAt)}</td><td>{c.uses} of {c.maxUses}</td>
                <td>{c.revokedAt ? 'revoked' : <button type="button" onClick={() => void run(api(`/api/console/enrollment-codes/${c.id}/revoke`, {}))}>Revoke</button>}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="h-accounts">
        <h2 id="h-accounts">Console accounts</h2>
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void run(api('/api/console/accounts', { ...acc, team: acc.team || null, password: acc.password || null })); }}>
          <label>Email <input type="email" value={acc.email} onChange={(e) => setAcc({ ...acc, email: e.target.value })} required /></label>
          <label>Name <input value={acc.name} onChange={(e) => setAcc({ ...acc, name: e.target.value })} required /></label>
          <label>Role <select value={acc.role} onChange={(e) => setAcc({ ...acc, role: e.target.value })}><option>manager</option><option>compliance</option><option>admin</option></select></label>
          <label>Team (managers) <input value={acc.team} onChange={(e) => setAcc({ ...acc, team: e.target.value })} /></label>
          <label>Password (empty: SSO only) <input type="password" value={acc.password} autoComplete="new-password" onChange={(e) => setAcc({ ...acc, password: e.target.value })} /></label>
          <button type="submit">Create account</button>
        </form>
        <table>
          <thead><tr><th>Email</th><th>Name</th><th>Role</th><th>Team</th></tr></thead>
          <tbody>{accounts.map((a) => <tr key={a.id}><td>{a.email}</td><td>{a.name}</td><td>{a.role}</td><td>{a.team ?? '—'}</td></tr>)}</tbody>
        </table>
      </section>
      {settings && (
        <section aria-labelledby="h-settings">
          <h2 id="h-settings">Settings</h2>
          <label className="check">
            <input type="checkbox" checked={settings.showRepNames} onChange={(e) => void run(api('/api/console/settings', { showRepNames: e.target.checked }))} />
            Show rep names where the organisation allows it (otherwise pseudonymous rep ids only)
          </label>
          <label>Months between reviews <input type="number" min={1} max={24} value={settings.reviewIntervalMonths} onChange={(e) => void run(api('/api/console/settings', { reviewIntervalMonths: Number(e.target.value) }))} /></label>
        </section>
      )}
    </>
  );
}
