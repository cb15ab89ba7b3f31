import Dexie from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';

import { sendRequest } from '../../lib/protocol/client';
import { formatOffset } from '../../lib/util/time';
import { readDb } from '../../lib/ui/db';
import { t, uiLanguage } from '../../lib/i18n';
import type { TagRecord } from '../../lib/model';
import { problemOf, ProblemText, useProblem } from '../shared/Problem';
import { DeleteButton } from './DeleteButton';

function TagItem({ tag }: { tag: TagRecord }) {
  const [text, setText] = useState(tag.text ?? '');
  const [problem, setProblem] = useProblem(text);
  async function save() {
    if (text === (tag.text ?? '')) return;
    setProblem(problemOf(await sendRequest({ type: 'tag/update', id: tag.id, text })));
  }
  return (
    <li className="tag-item">
      <span className="tag-time">{formatOffset(tag.offsetMs)}</span> <strong>{tag.tag}</strong>
      <input
        aria-label={t('popup_tag_details_label', tag.tag, formatOffset(tag.offsetMs))}
        placeholder={t('popup_tag_details_placeholder')}
        value={text}
        maxLength={280}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void save()}
      />
      <ProblemText problem={problem} />
      <DeleteButton
        label={t('popup_delete')}
        ariaLabel={t('popup_delete_tag_label', tag.tag, formatOffset(tag.offsetMs))}
        confirm={t('popup_delete_tag_confirm')}
        request={() => sendRequest({ type: 'tag/delete', id: tag.id })}
      />
    </li>
  );
}

/** Tags shown at once; more come a page at a time (a restored backup may hold thousands for one call). */
export const TAG_PAGE = 50;

/** Moments tagged live in the call; details are typed here, in the extension, never in the call page. */
export function TagList({ callId }: { callId: string }) {
  const [shown, setShown] = useState(TAG_PAGE);
  const total = useLiveQuery(() => readDb.tags.where('callId').equals(callId).count(), [callId]);
  // Only the rows on screen are read, in order, from the [callId+offsetMs] index.
  const tags = useLiveQuery(
    () => readDb.tags.where('[callId+offsetMs]').between([callId, Dexie.minKey], [callId, Dexie.maxKey]).limit(shown).toArray(),
    [callId, shown],
  );
  if (!tags?.length) return null;
  const more = (total ?? 0) - tags.length;
  return (
    <section aria-labelledby="tags-title">
      <h3 id="tags-title">{t('popup_tagged_moments')}</h3>
      <ul className="tags">
        {tags.map((tag) => (
          <TagItem key={tag.id} tag={tag} />
        ))}
      </ul>
      {more > 0 && (
        <button type="button" className="link" onClick={() => setShown(shown + TAG_PAGE)}>
          {t('popup_tags_more', Math.min(more, TAG_PAGE), more.toLocaleString(uiLanguage()))}
        </button>
      )}
    </section>
  );
}
