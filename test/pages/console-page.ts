/** Drives the console page the way an operator does: the banner's link, labels, buttons. */
import type { Locator, Page } from 'playwright-core';

/** Opens the console with the token in the fragment, as the banner prints it, and waits until it is live. */
export async function openConsole(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/console#token=${encodeURIComponent(token)}`);
  await page.locator('#stream-state').filter({ hasText: 'live' }).waitFor();
}

export function decisionRows(page: Page, filter: { channel?: string; verdict?: 'allow' | 'deny'; user?: string } = {}): Locator {
  const attributes = [
    filter.channel === undefined ? '' : `[data-channel="${filter.channel}"]`,
    filter.verdict === undefined ? '' : `[data-verdict="${filter.verdict}"]`,
    filter.user === undefined ? '' : `[data-user="${filter.user}"]`,
  ].join('');
  return page.locator(`#decisions li${attributes}`);
}

export async function setFilters(page: Page, filters: { user?: string; channel?: string; verdict?: '' | 'allow' | 'deny' }): Promise<void> {
  const form = page.locator('#filters');
  if (filters.user !== undefined) await form.getByLabel('User').fill(filters.user);
  if (filters.channel !== undefined) await form.getByLabel('Channel').fill(filters.channel);
  if (filters.verdict !== undefined) await form.getByLabel('Verdict').selectOption(filters.verdict);
}

/** Fills the "What if" form and returns what the page says once the server answered. */
export async function whatIf(page: Page, userId: string, channel: string): Promise<string> {
  const form = page.locator('#explain-form');
  await form.getByLabel('User id').fill(userId);
  await form.getByLabel('Channel', { exact: true }).fill(channel);
  const answered = page.waitForResponse((res) => res.url().endsWith('/console/explain'));
  await form.getByRole('button', { name: 'Explain' }).click();
  await answered;
  const result = page.locator('#explain-result');
  await result.and(page.locator(':not([data-tone="wait"])')).waitFor();
  return (await result.textContent()) ?? '';
}

export function signedInUser(page: Page, userId: string): Locator {
  return page.locator(`#users li[data-user="${userId}"]`);
}
