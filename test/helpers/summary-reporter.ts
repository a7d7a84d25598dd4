/** Ends a run with one plain line, `tests: N passed, N failed, N skipped`, that any CI can read. */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) counts[test.result().state] += 1;
    }
    // Files that failed to load have no tests to count: they count as one failure each.
    const brokenModules = testModules.filter((m) => m.state() === 'failed' && [...m.children.allTests()].length === 0).length;
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed + brokenModules} failed, ${counts.skipped} skipped\n`);
  }
}
