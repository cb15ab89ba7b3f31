import { t, type MessageKey } from '../../lib/i18n';
import { AccessLog } from './AccessLog';
import { ConcernList } from './ConcernList';
import { DataSection } from './DataSection';
import { DetectionHealth } from './DetectionHealth';
import { ExportSection } from './ExportSection';
import { LedgerSection } from './LedgerSection';
import { PolicySection } from './PolicySection';
import { PurgeReceipts } from './PurgeReceipts';
import { SyncSection } from './SyncSection';

const sections: [string, MessageKey][] = [
  ['policy', 'options_nav_policy'],
  ['exports', 'options_nav_exports'],
  ['access', 'options_nav_access'],
  ['concerns', 'options_nav_concerns'],
  ['data', 'options_nav_data'],
  ['detection', 'options_nav_detection'],
  ['retention', 'options_nav_retention'],
  ['ledger', 'options_nav_ledger'],
  ['sync', 'options_nav_sync'],
];

export function OptionsApp() {
  return (
    <div className="options">
      <header>
        <h1>Candor</h1>
        <p className="muted">{t('options_tagline')}</p>
        <nav aria-label={t('options_nav_label')}>
          {sections.map(([id, key]) => (
            <a key={id} href={`#${id}`}>
              {t(key)}
            </a>
          ))}
          <a href="/report.html">{t('options_nav_report')}</a>
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
        <SyncSection />
      </main>
    </div>
  );
}
