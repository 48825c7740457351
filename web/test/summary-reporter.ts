// Prints one parseable closing line, "web: N passed, N failed, N skipped", for CI to count.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but is still a failure.
      if (m.state() === 'failed' && ![...m.children.allTests()].length) failed++;
    }
    console.log(`\nweb: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
