import messages from '../../public/_locales/en/messages.json';
import { formatMessage, type MessageKey, type Messages, type Substitution } from './translate';

/**
 * A message in English, whatever the browser's language: for what the background writes into
 * records and exports (CSV headers, CRM notes) and its error messages, which name things the way the
 * English UI does. The UI itself uses `t`.
 */
export function english(key: MessageKey, ...substitutions: Substitution[]): string {
  const entry = (messages as Messages)[key];
  return entry ? formatMessage(entry, substitutions.map(String)) : key;
}
