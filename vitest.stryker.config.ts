/**
 * The vitest config `npm run mutate` uses (docs/mutation.md): the 'suite' project of vitest.config.ts
 * as one plain project, less the tests that cannot kill a mutant of the security core.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const ROOT = import.meta.dirname;
const PACKAGES = ['pusher-core', 'channel-auth', 'embedded'];

/**
 * Stryker runs the tests in a copy of the repository whose node_modules links back to the original,
 * so `@pusher-auth-server/*` would load the original, unmutated packages. Each name (and subpath)
 * is pointed at the copy's own source instead, from the packages' exports maps.
 */
function packageSourceAliases(): { find: string; replacement: string }[] {
  return PACKAGES.flatMap((folder) => {
    const dir = path.join(ROOT, 'packages', folder);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, { '@pusher-auth-server/source'?: string }>;
    };
    return Object.entries(manifest.exports).flatMap(([subpath, targets]) => {
      const source = targets['@pusher-auth-server/source'];
      return source ? [{ find: manifest.name + subpath.slice(1), replacement: path.join(dir, source) }] : [];
    });
  }).sort((a, b) => b.find.length - a.find.length); // `channel-auth/http` before `channel-auth`
}

const conditions = ['@pusher-auth-server/source'];

export default defineConfig({
  resolve: { conditions, alias: packageSourceAliases() },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      // Packs and installs the tarballs: the build in dist/, never the mutated sources; minutes long.
      'test/packages/packed.test.ts',
      // Read the docs and READMEs, or run shell blocks in child processes: no mutant reaches them.
      'test/docs/**',
      'test/packages/readme-examples.test.ts',
      // Chromium drives the demo page and the console: no security-core branch they alone reach.
      'test/pages/**',
      // Load, outage, shutdown, heartbeat and slow-reader timing, and real processes started with npm or node:
      // they assert availability, not decisions, and take seconds each.
      'test/auth/{concurrency,identity-outage}.test.ts',
      'test/server/{shutdown,npm-start,busy-port}.test.ts',
      'test/trigger/upstream-outage.test.ts',
      'test/embedded/{heartbeat,client-event-flood,slow-consumer,slow-readers}.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
