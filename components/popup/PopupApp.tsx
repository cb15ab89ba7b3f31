import { CallDetail } from './CallDetail';
import { CallList } from './CallList';
import { StartConsentCheck } from './StartConsentCheck';
import { usePopupStore } from './usePopupStore';

export function PopupApp() {
  const selected = usePopupStore((s) => s.selectedCallId);
  return (
    <main className="popup">
      <header className="popup-head">
        <h1>Candor</h1>
        <p className="tagline">Consent first. Coaching, not scoring.</p>
      </header>
      <StartConsentCheck />
      {selected ? <CallDetail callId={selected} /> : <CallList />}
    </main>
  );
}
