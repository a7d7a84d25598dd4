/** The operator console in Debian's Chromium, fed by real pusher-js clients against the real server. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient } from '../helpers/pusher-client.js';
import { withTimeout } from '../helpers/wait.js';
import { signIn } from '../helpers/console.js';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { decisionRows, openConsole, setFilters, signedInUser, whatIf } from './console-page.js';
import { watchedPage, type Watched } from './demo-page.js';
import { startDemoServer, type DemoServer } from '../helpers/browser-server.js';

const PHONE_375 = { width: 375, height: 812 };

describe.skipIf(!hasChromium)('the console in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let operator: Watched;
  const watched: Watched[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    operator = await watchedPage(browser);
    watched.push(operator);
    await openConsole(operator.page, server.url, server.consoleToken);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await browser?.close();
    await server?.close();
  });

  it('takes the token from the fragment and leaves the address bar without it', async () => {
    expect(operator.page.url()).toBe(`${server.url}/console`);
    expect(await operator.page.evaluate('location.hash')).toBe('');
  });

  it("shows a pusher-js client's decisions as they happen, the refusal with its reason", async () => {
    const ada = await connectClient(server.url, { userId: '1' });
    clients.push(ada);
    await ada.subscribe('private-user-1');
    await decisionRows(operator.page, { channel: 'private-user-1', verdict: 'allow' }).waitFor();
    await expect(ada.subscribe('private-user-2')).rejects.toThrow(/subscription to private-user-2 failed/);
    const refused = decisionRows(operator.page, { channel: 'private-user-2', verdict: 'deny' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(
      /^\d\d:\d\d:\d\ddenieduser 1private-user-2rule private-user-\{userId\}\d+\.\d{1,2} msonly user "2" may join this channel$/,
    );
    expect(await operator.page.locator('#count-allow').textContent()).toBe('1');
    expect(await operator.page.locator('#count-deny').textContent()).toBe('1');
  });

  it('filters by user, channel and verdict, and counts what it shows', async () => {
    const grace = await connectClient(server.url, { userId: '2' });
    clients.push(grace);
    await grace.subscribe('presence-lobby');
    await decisionRows(operator.page, { user: '2', channel: 'presence-lobby' }).waitFor();
    const { page } = operator;

    await setFilters(page, { verdict: 'deny' });
    expect(await decisionRows(page).count()).toBe(1);
    expect(await decisionRows(page, { verdict: 'deny' }).count()).toBe(1);
    await setFilters(page, { verdict: '', user: '2' });
    expect(await decisionRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-channel')))).toEqual(['presence-lobby']);
    await setFilters(page, { user: '', channel: 'private-user' });
    expect(await decisionRows(page).count()).toBe(2);
    expect(await page.locator('#count-allow').textContent()).toBe('1');
    expect(await page.locator('#count-deny').textContent()).toBe('1');
    await setFilters(page, { channel: 'no-such-channel' });
    expect(await decisionRows(page).count()).toBe(0);
    expect(await page.locator('#decisions-empty').isVisible()).toBe(true);
    await setFilters(page, { channel: '' });
    expect(await decisionRows(page).count()).toBe(3);
  });

  it('explains a refusal with "What if", and an allowed join', async () => {
    expect(await whatIf(operator.page, '1', 'private-user-2')).toBe(
      'refused · rule private-user-{userId} · only user "2" may join this channel',
    );
    expect(await whatIf(operator.page, '2', 'private-user-2')).toBe('allowed · rule private-user-{userId}');
    expect(await decisionRows(operator.page).count()).toBe(3); // explaining decided nothing
  });

  it("shows the embedded server's state live, signed-in users included", async () => {
    const [ada] = clients as [TestClient];
    await signIn(ada, '1');
    await signedInUser(operator.page, '1').waitFor();
    expect(await signedInUser(operator.page, '1').textContent()).toBe('11 connectionTerminate');
    await operator.page.locator('#channels li[data-channel="presence-lobby"]', { hasText: '1 subscriber' }).waitFor();
    expect(await operator.page.locator('#state-connections').textContent()).toBe('2');
  });

  it("terminates a user's connections with the button", async () => {
    const [ada] = clients as [TestClient];
    const disconnected = new Promise<void>((resolve) =>
      ada.pusher.connection.bind('state_change', ({ current }: { current: string }) => current === 'disconnected' && resolve()),
    );
    await signedInUser(operator.page, '1').getByRole('button', { name: 'Terminate user 1' }).click();
    await withTimeout(disconnected, 5000, "user 1's connection to be closed");
    await signedInUser(operator.page, '1').waitFor({ state: 'detached' });
    expect(await operator.page.locator('#terminate-result').textContent()).toBe('Closed every connection of user 1.');
  });

  it('can be used by keyboard at 375 px, without sideways scrolling', async () => {
    const phone = await watchedPage(browser, PHONE_375);
    watched.push(phone);
    await openConsole(phone.page, server.url, server.consoleToken);
    await phone.page.keyboard.press('Tab');
    expect(await phone.page.evaluate('document.activeElement.name')).toBe('user');
    await phone.page.keyboard.type('2');
    await decisionRows(phone.page).first().waitFor();
    expect(await decisionRows(phone.page).count()).toBe(1);
    const sideways = await phone.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(sideways).toBeLessThanOrEqual(0);
  });

  it('asks for the token when the link carries none, and refuses a wrong one', async () => {
    const bare = await watchedPage(browser);
    await bare.page.goto(`${server.url}/console`);
    const field = bare.page.getByLabel('Token', { exact: true });
    await field.fill('not-the-token');
    await bare.page.getByRole('button', { name: 'Open the console' }).click();
    await bare.page.locator('#unlock-error').filter({ hasText: 'The token was not accepted.' }).waitFor();
    await field.fill(server.consoleToken);
    await bare.page.getByRole('button', { name: 'Open the console' }).click();
    await bare.page.locator('#stream-state').filter({ hasText: 'live' }).waitFor();
    expect(bare.offHost).toEqual([]);
    // The refused token's 401 (and the stream it ended) is the only problem this page had.
    expect(bare.problems.filter((problem) => !/\/console\/decisions|status of 401/.test(problem))).toEqual([]);
    expect(bare.problems).toContain(`HTTP 401: GET ${server.url}/console/decisions`);
  });

  it('had no console errors, failed requests, or requests beyond 127.0.0.1', () => {
    for (const { problems, offHost } of watched) {
      expect(problems).toEqual([]);
      expect(offHost).toEqual([]);
    }
  });
});
