import { browser } from 'wxt/browser';
import { usePolicy } from '../../lib/ui/policy';

/** A broken policy never turns consent off, but the rep and the admin must see exactly what is wrong. */
export function PolicyIssues() {
  const resolved = usePolicy();
  if (!resolved?.issues.length) return null;
  return (
    <div role="alert" className="policy-issues">
      <strong>Policy problem{resolved.issues.length > 1 ? 's' : ''}: safe defaults are used for</strong>
      <ul>
        {resolved.issues.map((i, n) => (
          <li key={n}>
            <code>{i.field}</code> ({i.source === 'managed' ? 'organisation' : 'settings'}): {i.message}
          </li>
        ))}
      </ul>
      <button type="button" className="link" onClick={() => void browser.runtime.openOptionsPage()}>
        Open settings
      </button>
    </div>
  );
}
