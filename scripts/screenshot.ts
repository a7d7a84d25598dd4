/**
 * npm run screenshot: regenerates docs/screenshot.png from the real page, two users, real events,
 * and docs/console.png: the console watching them.
 * `--phone <file>` also saves a phone-width shot (for looking, not checked in).
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths.js';
import { hasChromium, CHROMIUM_PATH, launchChromium } from '../test/helpers/chromium.js';
import { decisionRows, openConsole, signedInUser, whatIf } from '../test/pages/console-page.js';
import { channelBadge, logRows, PHONE, sendEvent, signIn, tryChannel, watchedPage } from '../test/pages/demo-page.js';
import { startDemoServer } from '../test/helpers/browser-server.js';

const OUT = path.join(PROJECT_ROOT, 'docs', 'screenshot.png');
const CONSOLE_OUT = path.join(PROJECT_ROOT, 'docs', 'console.png');
const phoneArg = process.argv.indexOf('--phone');
const phoneOut = phoneArg === -1 ? undefined : process.argv[phoneArg + 1];

if (!hasChromium) {
  process.stderr.write(`No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH).\n`);
  process.exit(1);
}

const server = await startDemoServer();
const browser = await launchChromium();
const ada = await watchedPage(browser);
const grace = await watchedPage(browser);
const operator = await watchedPage(browser);
try {
  await signIn(ada.page, server.url, '1', 'Ada');
  await signIn(grace.page, server.url, '2', 'Grace');

  await tryChannel(ada.page, 'private-user-2');
  await channelBadge(ada.page, 'tried', 'private-user-2').filter({ hasText: 'refused 403' }).waitFor();
  await ada.page.locator('#tried .reason', { hasText: 'rule' }).waitFor();

  await server.trigger({ channel: 'private-user-1', event: 'order-shipped', data: { order: 1042, carrier: 'DHL' } });
  await server.trigger({ channel: 'private-encrypted-user-1', event: 'secret', data: { pin: '4711' } });
  await sendEvent(ada.page, 'presence-lobby', 'demo-event', '{"message":"hello lobby"}');
  await server.sendToUser('1', 'notice', { message: 'Your report is ready' });
  await logRows(ada.page, '#server-to-user-1', 'notice').waitFor();
  await logRows(ada.page, 'private-encrypted-user-1', 'secret').waitFor();
  await ada.page.getByText('The same from a backend').click(); // opens the curl for /trigger

  await mkdir(path.dirname(OUT), { recursive: true });
  await ada.page.screenshot({ path: OUT, animations: 'disabled' });
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
  if (phoneOut) {
    await ada.page.setViewportSize(PHONE);
    await ada.page.screenshot({ path: phoneOut, fullPage: true, animations: 'disabled' });
    process.stdout.write(`wrote ${phoneOut}\n`);
  }

  await openConsole(operator.page, server.url, server.consoleToken);
  await decisionRows(operator.page, { channel: 'private-user-2', verdict: 'deny' }).first().waitFor();
  await signedInUser(operator.page, '2').waitFor();
  await whatIf(operator.page, '1', 'private-user-2');
  await operator.page.screenshot({ path: CONSOLE_OUT, animations: 'disabled' });
  process.stdout.write(`wrote ${path.relative(process.cwd(), CONSOLE_OUT)}\n`);

  const problems = [ada, grace, operator].flatMap((page) => [...page.problems, ...page.offHost]);
  if (problems.length > 0) throw new Error(`the page had problems:\n${problems.join('\n')}`);
} catch (err) {
  const failure = path.join(tmpdir(), 'screenshot-failure.png');
  await operator.page.screenshot({ path: path.join(tmpdir(), 'console-failure.png'), fullPage: true });
  await ada.page.screenshot({ path: failure, fullPage: true });
  process.stderr.write(`failed; the page as it was: ${failure}\n`);
  throw err;
} finally {
  await browser.close();
  await server.close();
}
