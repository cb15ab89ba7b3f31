import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStore, startBrowser, waitFor, type TestBrowser } from './support';

/**
 * Issue 20, item 4: a concern no longer vanishes once sent. The popup confirms it and lists it
 * under "My concerns" with its status; a status the admin sets in the options page shows there.
 * (With org sync, the console's status arrives the same way: tests/e2e/org.spec.ts.)
 */
describe('"My concerns" in the popup', () => {
  let b: TestBrowser;
  beforeAll(async () => {
    b = await startBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('sending confirms it and lists it as open; the status set in the options page reaches the list', async () => {
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: 'Raise a concern', exact: true }).click();
    await popup.getByLabel('What happened?').fill('The prompt covered the customer’s screen share for a minute.');
    await popup.getByRole('button', { name: 'Send concern' }).click();

    const list = popup.locator('section.my-concerns');
    await expect.poll(() => list.getByRole('status').textContent()).toBe('Sent. You can follow it here.');
    await expect.poll(() => list.locator('li').count()).toBe(1);
    expect(await list.locator('li').first().textContent()).toMatch(/Open · raised .*The prompt covered the customer’s screen share for a minute\./);
    const [concern] = await waitFor(() => readStore<{ id: string; status: string }>(b, 'concerns'), (rows) => rows.length === 1);
    expect(concern).toMatchObject({ status: 'open' });

    const options = await b.context.newPage();
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    const status = options.getByLabel(/^Status of the concern/);
    await status.waitFor();
    await status.selectOption('acknowledged');
    await waitFor(() => readStore<{ status: string }>(b, 'concerns'), (rows) => rows[0]?.status === 'acknowledged');
    await options.close();

    // Opened again later, from the footer: the list, without the "Sent" line, with the new status.
    await popup.reload();
    await popup.getByRole('button', { name: 'My concerns' }).click();
    await expect.poll(() => popup.locator('section.my-concerns li').first().textContent()).toMatch(/^Privacy concern · Acknowledged · raised /);
    expect(await popup.locator('section.my-concerns').getByText('Sent. You can follow it here.').count()).toBe(0);
    await popup.close();
  });
});
