/** Lets a bench file run on its own (`npx tsx bench/x.bench.ts`) as well as from run.ts. */
import { pathToFileURL } from "node:url";

/** Runs `bench` and prints its table when `moduleUrl` is the script node was started with. */
export function runIfMain(moduleUrl: string, bench: () => Promise<string>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  bench().then(
    (table) => {
      process.stdout.write(table + "\n");
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
