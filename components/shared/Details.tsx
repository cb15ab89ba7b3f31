import { t } from '../../lib/i18n';
import './shared.css';

/**
 * The technical part of a message (field paths, signal ids, exception names, commands), behind a
 * "Details" disclosure: the sentence beside it is what a person reads; this is for whoever helps
 * them. Rendered as text, closed until opened. Nothing to show: nothing rendered.
 */
export function Details({ text }: { text?: string | null }) {
  if (!text) return null;
  return (
    <details className="tech-details">
      <summary>{t('common_details')}</summary>
      <pre>{text}</pre>
    </details>
  );
}
