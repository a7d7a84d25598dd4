/** Drives the demo page the way a person does: labels, buttons and what the panels say. */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Watched {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, page errors, failed requests and unexpected HTTP errors, as text. */
  readonly problems: string[];
  /** Requests and WebSockets to anything but 127.0.0.1 (all aborted). */
  readonly offHost: string[];
  /** Every WebSocket frame the page received, as text. */
  readonly frames: string[];
}

/** HTTP errors the page provokes on purpose: refusals, which it then explains. */
const EXPECTED_REFUSALS = [/\/pusher\/auth$/, /\/demo\/send$/];
const isExpectedRefusal = (url: string, status: number) => status === 403 && EXPECTED_REFUSALS.some((re) => re.test(url));

/** A fresh context whose network is 127.0.0.1 only, recording everything that goes wrong. */
export async function watchedPage(browser: Browser, viewport = DESKTOP): Promise<Watched> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const offHost: string[] = [];
  const frames: string[] = [];
  const local = (url: URL) => url.hostname === '127.0.0.1';
  await context.route((url) => !local(url) && url.protocol !== 'data:', (route) => {
    offHost.push(route.request().url());
    return route.abort();
  });
  await context.routeWebSocket((url) => !local(url), (ws) => {
    offHost.push(ws.url());
    return ws.close();
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(payload.toString())));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400 && !isExpectedRefusal(res.url(), res.status())) {
      problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
    }
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium reports every non-2xx XHR/fetch on the console; the page's own refusals are expected.
    const refusal = /status of 403/.test(msg.text()) && isExpectedRefusal(msg.location().url, 403);
    if (!refusal) problems.push(`console error: ${msg.text()}`);
  });
  return { context, page, problems, offHost, frames };
}

/** The page's channel lists: my channels, "Try another channel", and the room panel. */
export type ChannelList = 'mine' | 'tried' | 'room';

export function channelBadge(page: Page, list: ChannelList, channel: string): Locator {
  return page.locator(`#${list} li[data-channel="${channel}"] .badge`);
}

export function channelReason(page: Page, list: ChannelList, channel: string): Locator {
  return page.locator(`#${list} li[data-channel="${channel}"] .reason`);
}

export function logRows(page: Page, channel: string, event: string): Locator {
  return page.locator(`#log li[data-channel="${channel}"][data-event="${event}"]`);
}

/** Signs in through the form and waits until the user's channels and sign-in are confirmed. */
export async function signIn(page: Page, baseUrl: string, userId: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitSignedIn(page, userId);
}

export async function waitSignedIn(page: Page, userId: string): Promise<void> {
  const mine = [`private-user-${userId}`, `private-encrypted-user-${userId}`, 'presence-lobby'];
  for (const channel of mine) await channelBadge(page, 'mine', channel).filter({ hasText: 'subscribed' }).waitFor();
  await channelBadge(page, 'mine', `#server-to-user-${userId}`).filter({ hasText: 'signed in' }).waitFor();
}

/** Subscribes through the "Try another channel" panel. */
export async function tryChannel(page: Page, channel: string): Promise<void> {
  const form = page.locator('#try-form');
  await form.getByLabel('Channel').fill(channel);
  await form.getByRole('button', { name: 'Subscribe' }).click();
}

/** Sends through the "Send an event" panel and waits for the server's answer. */
export async function sendEvent(page: Page, channel: string, event: string, data: string): Promise<string> {
  const form = page.locator('#send-form');
  await form.getByLabel('Channel').fill(channel);
  await form.getByLabel('Event').fill(event);
  await form.getByLabel('Data').fill(data);
  const answered = page.waitForResponse((res) => res.url().endsWith('/demo/send'));
  await form.getByRole('button', { name: 'Send via /demo/send' }).click();
  await answered;
  const result = page.locator('#send-result');
  await result.and(page.locator(':not([data-tone="wait"])')).waitFor();
  return (await result.textContent()) ?? '';
}
