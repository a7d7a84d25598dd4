/** The demo page in Debian's Chromium: two users, real pusher-js, the real server in embedded mode. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, launchChromium } from '../helpers/chromium.js';
import {
  channelBadge,
  channelReason,
  logRows,
  PHONE,
  sendEvent,
  signIn,
  tryChannel,
  waitSignedIn,
  watchedPage,
  type Watched,
} from './demo-page.js';
import { startDemoServer, type DemoServer } from '../helpers/browser-server.js';

if (!hasChromium) {
  console.warn(`\n  browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)\n`);
}

describe.skipIf(!hasChromium)('the demo page in Chromium (users 1 and 2)', () => {
  let server: DemoServer;
  let browser: Browser;
  let ada: Watched;
  let grace: Watched;
  const watched: Watched[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    [ada, grace] = await Promise.all([watchedPage(browser), watchedPage(browser)]);
    watched.push(ada, grace);
    await Promise.all([signIn(ada.page, server.url, '1', 'Ada'), signIn(grace.page, server.url, '2', 'Grace')]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('subscribes each user to their own channels and signs them in', async () => {
    for (const [{ page }, id] of [[ada, '1'], [grace, '2']] as const) {
      expect(await channelBadge(page, 'mine', `private-user-${id}`).textContent()).toBe('subscribed');
      expect(await channelBadge(page, 'mine', `private-encrypted-user-${id}`).textContent()).toBe('subscribed');
      expect(await channelBadge(page, 'mine', `#server-to-user-${id}`).textContent()).toBe('signed in');
      expect(await page.locator('#conn-state').textContent()).toBe('connected');
      expect(await page.locator('#conn-socket').textContent()).toMatch(/^\d+\.\d+$/);
      expect(await page.locator('#conn-host').textContent()).toBe(server.url.replace('http:', 'ws:'));
      expect(await page.locator('#conn-mode').textContent()).toBe('embedded');
    }
  });

  it("refuses user 1 on private-user-2 with the status and the server's reason", async () => {
    await tryChannel(ada.page, 'private-user-2');
    const badge = channelBadge(ada.page, 'tried', 'private-user-2');
    await badge.filter({ hasText: 'refused' }).waitFor();
    expect(await badge.textContent()).toBe('refused 403');
    const reason = channelReason(ada.page, 'tried', 'private-user-2').filter({ hasText: 'rule' });
    await reason.waitFor();
    expect(await reason.textContent()).toBe('only user "2" may join this channel · rule private-user-{userId}');
  });

  it('delivers a /trigger on private-user-1 to user 1, never to user 2', async () => {
    await server.trigger({ channel: 'private-user-1', event: 'private-event', data: { message: 'for Ada only' } });
    const row = logRows(ada.page, 'private-user-1', 'private-event');
    await row.waitFor();
    expect(await row.locator('.data').textContent()).toBe('{"message":"for Ada only"}');
    // A barrier: once a later event on Grace's own socket arrived, the earlier one would have too.
    await server.trigger({ channel: 'private-user-2', event: 'private-event', data: { message: 'for Grace' } });
    await logRows(grace.page, 'private-user-2', 'private-event').waitFor();
    expect(await grace.page.locator('#log').textContent()).not.toContain('for Ada only');
    expect(grace.frames.join('\n')).not.toContain('for Ada only');
  });

  it('shows an encrypted event decrypted, while the wire carries only ciphertext', async () => {
    await server.trigger({ channel: 'private-encrypted-user-1', event: 'secret', data: { pin: '4711-secret' } });
    const row = logRows(ada.page, 'private-encrypted-user-1', 'secret');
    await row.waitFor();
    expect(await row.locator('.data').textContent()).toBe('{"pin":"4711-secret"}');
    expect(await row.locator('.badge').textContent()).toBe('decrypted');
    const onTheWire = ada.frames.filter((frame) => frame.includes('"secret"'));
    expect(onTheWire).toHaveLength(1);
    expect(onTheWire[0]).toContain('ciphertext');
    expect(onTheWire[0]).not.toContain('4711-secret');
  });

  it('shows server-to-user events after sign-in: from the SDK, and from the "Send to me" button', async () => {
    await server.sendToUser('1', 'notice', { message: 'from a backend' });
    await logRows(ada.page, '#server-to-user-1', 'notice').filter({ hasText: 'from a backend' }).waitFor();
    await ada.page.getByRole('button', { name: 'Send to me (server-to-user)' }).click();
    await logRows(ada.page, '#server-to-user-1', 'notice').filter({ hasText: 'hello from the server' }).waitFor();
    expect(await logRows(grace.page, '#server-to-user-1', 'notice').count()).toBe(0);
  });

  it('sends through /demo/send where the policy allows, and explains a refusal', async () => {
    expect(await sendEvent(ada.page, 'presence-lobby', 'demo-event', '{"n":1}')).toBe('sent to presence-lobby');
    await logRows(grace.page, 'presence-lobby', 'demo-event').filter({ hasText: '{"n":1}' }).waitFor();
    expect(await sendEvent(ada.page, 'private-user-2', 'demo-event', 'hi')).toBe(
      'refused 403: only user "2" may join this channel',
    );
    await sendEvent(ada.page, 'private-user-1', 'curl-test', `{"it's":"quoted"}`);
    expect(await ada.page.locator('#curl').textContent()).toBe(
      [
        `curl -s -X POST ${server.url}/trigger \\`,
        `  -H "Authorization: Bearer $TRIGGER_TOKEN" -H 'Content-Type: application/json' \\`,
        `  -d '{"channel":"private-user-1","event":"curl-test","data":{"it'\\''s":"quoted"}}'`,
      ].join('\n'),
    );
  });

  it("shows both users in each other's presence list, and one leaving", async () => {
    await ada.page.locator('#members li', { hasText: 'Grace (2)' }).waitFor();
    await grace.page.locator('#members li', { hasText: 'Ada (1)' }).waitFor();
    expect(await ada.page.locator('#presence-count').textContent()).toBe('2 online');
    await grace.page.getByRole('button', { name: 'Sign out' }).click();
    await ada.page.locator('#activity li', { hasText: 'Grace (2) left' }).waitFor();
    expect(await ada.page.locator('#members li').allTextContents()).toEqual(['Ada (1)you']);
    expect(await logRows(ada.page, 'presence-lobby', 'pusher:member_removed').count()).toBe(1);
  });

  it('can be used by keyboard alone at phone width, without sideways scrolling', async () => {
    const phone = await watchedPage(browser, PHONE);
    watched.push(phone);
    await phone.page.goto(`${server.url}/`);
    await phone.page.getByRole('button', { name: 'Sign in' }).and(phone.page.locator(':enabled')).waitFor();
    await phone.page.keyboard.press('Tab');
    expect(await phone.page.evaluate('document.activeElement.name')).toBe('user_id');
    await phone.page.keyboard.press('ControlOrMeta+A');
    await phone.page.keyboard.type('3');
    await phone.page.keyboard.press('Tab');
    await phone.page.keyboard.press('ControlOrMeta+A');
    await phone.page.keyboard.type('Lin');
    await phone.page.keyboard.press('Enter');
    await waitSignedIn(phone.page, '3');
    const sideways = await phone.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(sideways).toBeLessThanOrEqual(0);
  });

  it('had no console errors, failed requests, or requests beyond 127.0.0.1', async () => {
    for (const { problems, offHost } of watched) {
      expect(problems).toEqual([]);
      expect(offHost).toEqual([]);
    }
    // The guard itself works: anything off 127.0.0.1 is caught and aborted.
    const probe = await watchedPage(browser);
    await probe.page.goto('http://example.invalid/').catch(() => undefined);
    expect(probe.offHost).toEqual(['http://example.invalid/']);
  });
});
