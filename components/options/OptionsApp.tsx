import { AccessLog } from './AccessLog';
import { ConcernList } from './ConcernList';
import { DataSection } from './DataSection';
import { DetectionHealth } from './DetectionHealth';
import { ExportSection } from './ExportSection';
import { LedgerSection } from './LedgerSection';
import { PolicySection } from './PolicySection';
import { PurgeReceipts } from './PurgeReceipts';

const sections = [
  ['policy', 'Purpose and policy'],
  ['exports', 'Exports'],
  ['access', 'Access log'],
  ['concerns', 'Concerns'],
  ['data', 'Your data'],
  ['detection', 'Detection health'],
  ['retention', 'Retention'],
  ['ledger', 'Consent ledger'],
] as const;

export function OptionsApp() {
  return (
    <div className="options">
      <header>
        <h1>Candor</h1>
        <p className="muted">Consent first. AI recordings are for coaching, not scoring. Performance use requires approval.</p>
        <nav aria-label="Sections">
          {sections.map(([id, label]) => (
            <a key={id} href={`#${id}`}>
              {label}
            </a>
          ))}
          <a href="/report.html">Audit report</a>
        </nav>
      </header>
      <main>
        <PolicySection />
        <ExportSection />
        <AccessLog />
        <ConcernList />
        <DataSection />
        <DetectionHealth />
        <PurgeReceipts />
        <LedgerSection />
      </main>
    </div>
  );
}
