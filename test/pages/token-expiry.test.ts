/**
 * The demo page in Chromium with a short-lived token: when it expires (by the server's injected
 * clock) the server closes the connection with 4200, pusher-js reconnects at once, every channel
 * is refused (401) with the expired token, and "Refresh token" authorizes them all again.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ManualScheduler } from '../helpers/scheduler.js';
import { startTestServer } from '../helpers/server.js';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { channelBadge, channelReason, logRows, waitSignedIn, watchedPage, type Watched } from './demo-page.js';

const LIFETIME_SECONDS = 20;

describe.skipIf(!hasChromium)('the demo page with a short-lived token (Chromium)', () => {
  const clock = new ManualScheduler(Date.now());
  let server: RunningServer;
  let browser: Browser;
  let ada: Watched;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' }, { clock: clock.now }), launchChromium()]);
    ada = await watchedPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the 4200 close, the reconnect and the 401s when the token expires, and carries on once refreshed', async () => {
    const { page } = ada;
    await page.goto(`${server.url}/`);
    await page.getByLabel('User id').fill('1');
    await page.getByLabel('Display name').fill('Ada');
    await page.getByLabel('Token lifetime').selectOption(String(LIFETIME_SECONDS));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitSignedIn(page, '1');
    expect(await page.locator('#token-state').textContent()).toMatch(/^valid until \d\d:\d\d:\d\d$/);
    const firstSocket = await page.locator('#conn-socket').textContent();

    clock.advance(LIFETIME_SECONDS * 1000);
    const refused = channelBadge(page, 'mine', 'private-user-1').filter({ hasText: 'refused 401' });
    await refused.waitFor();
    await page.locator('#token-state').filter({ hasText: 'refused' }).waitFor();
    expect(await page.locator('#token-state').textContent()).toBe('expired: channels are refused (401) until you refresh it');
    await channelReason(page, 'mine', 'private-user-1').filter({ hasText: 'expired' }).waitFor();
    expect(await channelReason(page, 'mine', 'private-user-1').textContent()).toBe('expired');
    expect(await channelBadge(page, 'mine', 'presence-lobby').textContent()).toBe('refused 401');
    expect(await logRows(page, 'connection', 'closed').first().locator('pre').textContent()).toBe(
      '{"code":4200,"message":"credentials expired: authorize again"}',
    );
    expect(await page.locator('#conn-state').textContent()).toBe('connected'); // pusher-js reconnected at once
    expect(await page.locator('#conn-socket').textContent()).not.toBe(firstSocket);

    await page.getByRole('button', { name: 'Refresh token' }).click();
    await waitSignedIn(page, '1');
    expect(await page.locator('#token-state').textContent()).toMatch(/^valid until /);
    expect(await channelBadge(page, 'mine', 'private-user-1').textContent()).toBe('subscribed');

    // Refreshed before it expires: the connection still closes when its token does, then carries on.
    clock.advance((LIFETIME_SECONDS / 2) * 1000);
    await page.getByRole('button', { name: 'Refresh token' }).click();
    await page.locator('#token-state').filter({ hasText: 'valid until' }).waitFor();
    const secondSocket = await page.locator('#conn-socket').textContent();
    clock.advance((LIFETIME_SECONDS / 2) * 1000);
    await logRows(page, 'connection', 'closed').nth(1).waitFor();
    await page.locator('#conn-socket').filter({ hasNotText: secondSocket ?? '' }).waitFor();
    await waitSignedIn(page, '1');
    await page.locator('#token-state').filter({ hasText: 'valid until' }).waitFor();
    expect(await channelBadge(page, 'mine', 'private-user-1').textContent()).toBe('subscribed');
    // Only the refusals the expiry caused went wrong: the page itself raised no error.
    expect(ada.problems.filter((problem) => !/\b401\b/.test(problem))).toEqual([]);
    expect(ada.offHost).toEqual([]);
  });
});
