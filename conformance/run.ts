/** Runs every check against a target, one at a time, each with its own clients closed afterwards. */
import { connect } from 'node:net';
import { apiChecks } from './checks/api.js';
import { channelChecks } from './checks/channels.js';
import { clientEventChecks } from './checks/client-events.js';
import { connectionChecks } from './checks/connection.js';
import { presenceChecks } from './checks/presence.js';
import { userChecks } from './checks/users.js';
import type { Check } from './check.js';
import { Kit } from './kit.js';
import type { CheckResult, ConformanceOptions, ConformanceReport, ConformanceTarget } from './types.js';

export type { CheckResult, ConformanceOptions, ConformanceReport, ConformanceTarget } from './types.js';

export const ALL_CHECKS: readonly Check[] = [
  ...connectionChecks,
  ...channelChecks,
  ...presenceChecks,
  ...clientEventChecks,
  ...userChecks,
  ...apiChecks,
];

/** Each wait in a check has its own timeout; this bounds a check that waits for several things in turn. */
const CHECK_TIMEOUTS = 6;

/** The check's outcome, or a failure once its deadline passes, whatever the check is still waiting for. */
function runWithDeadline(check: Check, kit: Kit): Promise<void> {
  const deadlineMs = kit.timeoutMs * CHECK_TIMEOUTS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the check did not finish within ${deadlineMs} ms`)), deadlineMs);
  });
  return Promise.race([check.run(kit), deadline]).finally(() => clearTimeout(timer));
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim() || 'failed';
}

/** Why the target cannot be reached over TCP, or undefined when it can. */
function unreachable(target: ConformanceTarget): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setTimeout(target.timeoutMs ?? 5000, () => socket.destroy(new Error('connection timed out')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(`cannot reach ${target.host}:${target.port} (${err.code ?? err.message})`));
  });
}

export async function runConformance(target: ConformanceTarget, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const log = options.log ?? (() => undefined);
  const only = options.only ?? [];
  const checks = only.length === 0 ? ALL_CHECKS : ALL_CHECKS.filter((check) => only.some((part) => check.name.includes(part)));
  const kit = new Kit(target);
  const results: CheckResult[] = [];
  const cannotReach = await unreachable(target);
  for (const check of checks) {
    const started = performance.now();
    let result: CheckResult;
    try {
      if (cannotReach) throw new Error(cannotReach);
      await runWithDeadline(check, kit);
      result = { name: check.name, passed: true, ms: performance.now() - started };
      log(`PASS ${check.name}`);
    } catch (err) {
      result = { name: check.name, passed: false, reason: reasonOf(err), ms: performance.now() - started };
      log(`FAIL ${check.name}: ${result.reason}`);
    } finally {
      kit.cleanup();
    }
    results.push(result);
  }
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  log(`${passed} passed, ${failed} failed`);
  return { results, passed, failed };
}
