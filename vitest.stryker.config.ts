/**
 * The vitest config `npm run mutate` uses: the whole suite less the tests that cannot kill a mutant
 * of the security core any faster or better than the rest (see README, "Mutation testing").
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        // Chromium drives the demo page and the README examples: no security-core branch they alone reach.
        'test/browser/**',
        // Load, outage, shutdown and heartbeat timing: they assert availability, not decisions, and take seconds each.
        'test/resilience/{concurrent-auth,shutdown,upstream-outage,identity-outage,heartbeat,client-event-flood}.test.ts',
      ],
      reporters: ['default'],
    },
  }),
);
