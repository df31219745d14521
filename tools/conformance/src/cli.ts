// The conformance CLI: replays golden fixtures on mg backends, prints one line per failing case and a summary
// line per backend, and exits non-zero on any failure.
import { realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackendReport, RunReport } from './run.js';

const USAGE = `usage: node tools/conformance/dist/cli.js [--fixtures DIR] [--backend cpu|wasm|all] [--composite] [--verbose] [--json FILE]

  --fixtures DIR   directory of golden *.json files (default: tools/conformance/fixtures)
  --backend NAME   cpu (default), wasm, or all (every available backend; unavailable ones are skipped)
  --composite      run every op's composite instead of its fused kernels (setForceComposite(true))
  --verbose        also list unsupported cases, grouped by function
  --json FILE      write a machine-readable report to FILE`;

/** Parsed command line. */
export interface CliOptions {
  readonly fixtures: string;
  readonly backend: string;
  readonly composite: boolean;
  readonly verbose: boolean;
  readonly json: string | null;
}

const DEFAULT_FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/** Parses argv (without node and the script); throws an Error with a usage message on bad input. */
export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  let fixtures = DEFAULT_FIXTURES;
  let backend = 'cpu';
  let verbose = false;
  let composite = false;
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--fixtures':
        fixtures = value();
        break;
      case '--backend':
        backend = value();
        break;
      case '--json':
        json = value();
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--composite':
        composite = true;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (!['cpu', 'wasm', 'all'].includes(backend))
    throw new Error(`--backend must be cpu, wasm or all, got ${backend}`);
  return { fixtures, backend, composite, verbose, json };
}

/** The lines printed for one backend: failures, (verbose) unsupported groups, then the summary line. */
export function formatReport(report: BackendReport, verbose: boolean): string[] {
  if (report.skipped !== null) return [`conformance ${report.backend}: skipped (${report.skipped})`];
  const lines = report.results
    .filter((r) => r.status === 'fail')
    .map((r) => `FAIL ${r.id}: ${r.reasons.join('; ')}`);
  if (verbose) {
    const groups = new Map<string, { ids: string[]; reasons: Set<string> }>();
    for (const r of report.results) {
      if (r.status !== 'unsupported') continue;
      const group = groups.get(r.fn) ?? { ids: [], reasons: new Set<string>() };
      group.ids.push(r.id);
      for (const reason of r.reasons) group.reasons.add(reason);
      groups.set(r.fn, group);
    }
    for (const [fn, { ids, reasons }] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`UNSUPPORTED ${fn} (${ids.length}): ${[...reasons].join('; ')} [${ids.join(', ')}]`);
    }
  }
  lines.push(
    `conformance ${report.backend}: ${report.passed} passed, ${report.failed} failed, ${report.unsupported} unsupported`,
  );
  return lines;
}

/** Runs the CLI; returns the exit code (0 ok, 1 a case failed, 2 the run itself could not happen). */
export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(`conformance: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { fixtures, backend, composite, verbose, json } = options;
  let report: RunReport;
  try {
    // Imported lazily so that a broken or missing @mg package is reported, not a crash at startup.
    const { KNOWN_BACKENDS, runConformance } = await import('./run.js');
    report = await runConformance({
      fixtures,
      backends: backend === 'all' ? KNOWN_BACKENDS : [backend],
      composite,
      onReport: (r) => {
        for (const line of formatReport(r, verbose)) console.log(line);
      },
    });
  } catch (error) {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (json !== null) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const ran = report.backends.filter((b) => b.skipped === null);
  // An explicitly requested backend that cannot run is an error; with `all`, skipping is fine if one ran.
  if (ran.length === 0 || (backend !== 'all' && ran.length !== report.backends.length)) return 2;
  return ran.some((b) => b.failed > 0) ? 1 : 0;
}

// Run when executed directly (not when imported by tests).
const invoked = process.argv[1];
if (invoked && realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = await main(process.argv.slice(2));
}
