/**
 * A suite is a function that declares tests through a `TestApi`. vitest passes its own
 * `it`; inside XS, `runSuites` collects and runs them and reports each result.
 */
export interface TestApi {
  test(name: string, fn: () => void | Promise<void>): void;
}

export type Suite = (t: TestApi) => void;

export interface TestResult {
  name: string;
  ok: boolean;
  error?: string;
}

/** Runs suites one test at a time and hands each result to `report`. */
export async function runSuites(suites: Record<string, Suite>, report: (r: TestResult) => void): Promise<number> {
  const tests: { name: string; fn: () => void | Promise<void> }[] = [];
  for (const [prefix, suite] of Object.entries(suites)) {
    suite({ test: (name, fn) => tests.push({ name: `${prefix} › ${name}`, fn }) });
  }
  for (const t of tests) {
    try {
      await t.fn();
      report({ name: t.name, ok: true });
    } catch (err) {
      report({ name: t.name, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err) });
    }
  }
  return tests.length;
}
