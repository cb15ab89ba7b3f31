import { test } from 'vitest';
import userEvent from '@testing-library/user-event';
import { fireEvent } from '@testing-library/dom';
test('probe', async () => {
  const b = document.createElement('button');
  document.body.append(b);
  const seen: string[] = [];
  b.addEventListener('click', (e) => seen.push(`${e.type}:${e.isTrusted}:${e.constructor.name}`));
  b.click();
  await userEvent.setup().click(b);
  fireEvent.click(b);
  b.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  const ev = new MouseEvent('click', { bubbles: true });
  try { Object.defineProperty(ev, 'isTrusted', { value: true }); } catch (e) { seen.push('defprop-fail ' + e); }
  b.dispatchEvent(ev);
  console.log(seen, Object.getOwnPropertyDescriptor(Event.prototype, 'isTrusted'), Object.getOwnPropertyDescriptor(new Event('x'), 'isTrusted'));
  const host = document.createElement('div');
  const sr = host.attachShadow({ mode: 'closed' });
  console.log('shadowRoot', host.shadowRoot, sr.constructor.name);
});
