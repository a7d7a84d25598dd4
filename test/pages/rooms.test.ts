/**
 * Taking access back, in Chromium: user 1 removes themself from room 1 on the demo page; the server
 * closes their connection (4009), the page reconnects, private-room-1 is refused with its reason,
 * and every other channel comes back. User 2, also in room 1, is untouched.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { channelBadge, channelReason, logRows, signIn, watchedPage, type Watched } from './demo-page.js';
import { startDemoServer, type DemoServer } from '../helpers/browser-server.js';

const ROOM = 'private-room-1';

describe.skipIf(!hasChromium)('removing a room member on the demo page, in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let ada: Watched;
  let grace: Watched;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    [ada, grace] = await Promise.all([watchedPage(browser), watchedPage(browser)]);
    await Promise.all([signIn(ada.page, server.url, '1', 'Ada'), signIn(grace.page, server.url, '2', 'Grace')]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows both members subscribed to private-room-1', async () => {
    for (const { page } of [ada, grace]) await channelBadge(page, 'room', ROOM).filter({ hasText: 'subscribed' }).waitFor();
  });

  it('closes the removed member with 4009, reconnects, and shows the refusal and its reason', async () => {
    const socketBefore = await ada.page.locator('#conn-socket').textContent();
    const graceSocket = await grace.page.locator('#conn-socket').textContent();
    await ada.page.getByRole('button', { name: 'Remove me from room 1' }).click();

    const closed = logRows(ada.page, 'connection', 'closed');
    await closed.waitFor();
    expect(await closed.locator('.data').textContent()).toBe('{"code":4009,"message":"connection is unauthorized"}');
    const refused = channelBadge(ada.page, 'room', ROOM).filter({ hasText: 'refused' });
    await refused.waitFor();
    expect(await refused.textContent()).toBe('refused 403');
    const reason = channelReason(ada.page, 'room', ROOM).filter({ hasText: 'rule' });
    await reason.waitFor();
    expect(await reason.textContent()).toBe('not a member of this room · rule private-room-{roomId}');
    expect(await ada.page.locator('#room-result').textContent()).toBe('removed: the server closes your connection (4009)');

    // Back on a new connection, with every other channel authorized again and signed in again.
    await ada.page.locator('#conn-state').filter({ hasText: 'connected' }).waitFor();
    expect(await ada.page.locator('#conn-socket').textContent()).not.toBe(socketBefore);
    for (const channel of ['private-user-1', 'private-encrypted-user-1', 'presence-lobby']) {
      await channelBadge(ada.page, 'mine', channel).filter({ hasText: 'subscribed' }).waitFor();
    }
    await server.sendToUser('1', 'notice', { message: 'still reachable' });
    await logRows(ada.page, '#server-to-user-1', 'notice').filter({ hasText: 'still reachable' }).waitFor();

    // User 2 kept their connection and their room.
    expect(await grace.page.locator('#conn-socket').textContent()).toBe(graceSocket);
    expect(await channelBadge(grace.page, 'room', ROOM).textContent()).toBe('subscribed');
    expect(await logRows(grace.page, 'connection', 'closed').count()).toBe(0);
  });

  it('lets the member join again once added back', async () => {
    await ada.page.getByRole('button', { name: 'Add me back to room 1' }).click();
    await channelBadge(ada.page, 'room', ROOM).filter({ hasText: 'subscribed' }).waitFor();
    expect(await ada.page.locator('#room-result').textContent()).toBe('added back');
    await server.trigger({ channel: ROOM, event: 'room-event', data: { n: 1 } });
    await logRows(ada.page, ROOM, 'room-event').waitFor();
    await logRows(grace.page, ROOM, 'room-event').waitFor();
  });

  it('had no console errors, failed requests, or requests beyond 127.0.0.1', () => {
    for (const { problems, offHost } of [ada, grace]) {
      expect(problems).toEqual([]);
      expect(offHost).toEqual([]);
    }
  });
});
