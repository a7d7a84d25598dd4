/** The only place that touches process: environment, signals, exit. */
import { config as loadDotenv } from 'dotenv';
import { banner } from './banner.js';
import { ConfigError, loadConfig } from './config.js';
import { prettyDestination } from './dev/pretty-log.js';
import { DEV_SECRETS_FILE, rememberedRandomBytes } from './dev/secrets.js';
import { createLogger } from './logger.js';
import { ListenError, startServer } from './server.js';

const SIGNAL_COALESCE_MS = 2000;
const SHUTDOWN_DEADLINE_MS = 10_000;

loadDotenv({ quiet: true }); // the environment wins over .env
// `npm run dev`: generated secrets kept across reloads, and a log for people.
const dev = process.argv.includes('--dev');

let config;
try {
  config = loadConfig(process.env, dev ? rememberedRandomBytes(DEV_SECRETS_FILE) : undefined);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel, dev ? prettyDestination(process.stdout) : undefined);
const running = await startServer(config, { logger }).catch((err: unknown) => {
  if (!(err instanceof ListenError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
process.stdout.write(`${banner(config, running.url)}\n`);

let firstSignalAt: number | undefined;
function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (firstSignalAt !== undefined) {
    // npm and process managers forward the same signal: those within 2 s count as one.
    if (now - firstSignalAt > SIGNAL_COALESCE_MS) process.exit(1);
    return;
  }
  firstSignalAt = now;
  logger.info({ signal }, 'shutting down');
  setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
  running.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
