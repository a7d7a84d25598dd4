/**
 * `npm run mutate:<package>` (docs/mutation.md#running-it-fast): the part of stryker.config.json's
 * scope in one package, tested only by the tests about that package, with its own incremental
 * file and report, so runs of different packages never discard each other's results.
 */
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));

/** The tests that reach each package's security core: its own, its users' in packages/, and the root's about it. */
const TESTS = {
  'pusher-core': ['packages/*/test/**/*.test.ts'],
  'channel-auth': ['packages/channel-auth/test/**/*.test.ts', 'test/auth/**/*.test.ts'],
  embedded: ['packages/embedded/test/**/*.test.ts', 'test/webhooks/**/*.test.ts'],
};

const name = process.env.MUTATE_PACKAGE ?? '';
if (!(name in TESTS)) throw new Error(`MUTATE_PACKAGE must be one of ${Object.keys(TESTS).join(', ')}; got "${name}"`);

export default {
  ...base,
  mutate: base.mutate.filter((pattern) => pattern.startsWith(`packages/${name}/`)),
  testFiles: TESTS[name],
  // The gate is `npm run mutate`: fewer tests may leave a survivor the rest of the suite kills.
  thresholds: { ...base.thresholds, break: null },
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
};
