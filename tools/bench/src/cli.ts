// `pnpm bench`: runs the workloads on every available contender, prints a Markdown table of medians, ratios
// and target verdicts to stdout (progress to stderr), optionally writes raw results as JSON, and exits
// non-zero when a contender threw or computed different numbers.
import { realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Contender, RunOptions, WorkloadResult } from './harness.js';
import { CONTENDER_LABELS, formatMs, formatReport, hasFailures, verdicts } from './report.js';
import { CONTENDER_IDS, type ContenderId, selectWorkloads, WORKLOADS } from './workloads.js';

const USAGE = `usage: pnpm bench [-- options]   (or: node tools/bench/dist/cli.js [options])

  --quick              one warm-up, 5–9 repetitions, no 1024 matmul (about 20 s)
  --filter NAME        only workloads whose id or title contains NAME (repeatable, or comma separated);
                       an exact id selects just that workload
  --contenders LIST    comma-separated subset of ${CONTENDER_IDS.join(', ')}
  --reps N             at least N timed repetitions per workload (default 7, quick 5)
  --json FILE          also write the raw results (every timing) to FILE
  --list               list the workloads and exit`;

/** Parsed command line. */
export interface CliOptions {
  readonly quick: boolean;
  readonly filters: readonly string[];
  readonly contenders: readonly ContenderId[];
  readonly minReps: number | null;
  readonly json: string | null;
  readonly list: boolean;
}

/** Parses argv (without node and the script); throws an Error naming the bad argument. */
export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  let quick = false;
  let list = false;
  const filters: string[] = [];
  let contenders: ContenderId[] = [...CONTENDER_IDS];
  let minReps: number | null = null;
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--list':
        list = true;
        break;
      case '--filter':
        filters.push(value());
        break;
      case '--json':
        json = value();
        break;
      case '--reps': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error('--reps needs a positive integer');
        minReps = n;
        break;
      }
      case '--contenders': {
        const ids = value()
          .split(',')
          .map((s) => s.trim());
        const unknown = ids.filter((id) => !(CONTENDER_IDS as readonly string[]).includes(id));
        if (unknown.length > 0) throw new Error(`unknown contender ${unknown.join(', ')}`);
        contenders = ids as ContenderId[];
        break;
      }
      case '--':
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return { quick, filters, contenders, minReps, json, list };
}

/** Repetition settings of a full and of a quick run. */
export function runOptions(options: CliOptions): RunOptions {
  const base = options.quick
    ? { warmup: 1, minReps: 5, maxReps: 9, budgetMs: 600 }
    : { warmup: 2, minReps: 7, maxReps: 41, budgetMs: 5000 };
  const minReps = options.minReps ?? base.minReps;
  return { ...base, minReps, maxReps: Math.max(base.maxReps, minReps) };
}

function machine(): string {
  const model = os.cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${model}, ${os.availableParallelism()} cpus`;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const specs = selectWorkloads(WORKLOADS, options.filters).filter((w) => !(options.quick && w.skipInQuick));
  if (options.list) {
    for (const w of WORKLOADS) console.log(`${w.id.padEnd(24)} ${w.description}`);
    return 0;
  }
  if (specs.length === 0) {
    console.error(`no workload matches ${options.filters.join(', ')} (see --list)`);
    return 2;
  }
  const wanted = new Set(options.contenders);
  const { harness, mg, tfjs } = await loadModules();
  const contenders: Contender[] = [];
  const unavailable = new Map<ContenderId, string>();
  const problems: string[] = [];
  if (wanted.has('mg-cpu-f32') || wanted.has('mg-cpu-f64') || wanted.has('mg-wasm')) {
    const loaded = await mg.mgContenders(wanted.has('mg-wasm'));
    contenders.push(...loaded.contenders.filter((c) => wanted.has(c.id)));
    if (loaded.wasmProblem && wanted.has('mg-wasm')) unavailable.set('mg-wasm', loaded.wasmProblem);
  }
  let tfInfo: string | null = null;
  if (wanted.has('tfjs-cpu') || wanted.has('tfjs-wasm')) {
    const loaded = await tfjs.tfjsContenders({ cpu: wanted.has('tfjs-cpu'), wasm: wanted.has('tfjs-wasm') });
    contenders.push(...loaded.contenders);
    problems.push(...loaded.problems);
    for (const p of loaded.problems) unavailable.set(p.startsWith('tfjs-cpu') ? 'tfjs-cpu' : 'tfjs-wasm', p);
    const { version, wasmSimd, wasmThreads } = loaded.info;
    tfInfo = `TensorFlow.js ${version}${wasmSimd === null ? '' : ` (wasm: SIMD ${wasmSimd ? 'on' : 'off'}, threads ${wasmThreads ? 'on' : 'off'})`}`;
  }
  contenders.sort((a, b) => CONTENDER_IDS.indexOf(a.id) - CONTENDER_IDS.indexOf(b.id));
  const run = runOptions(options);
  const started = performance.now();
  const results: WorkloadResult[] = [];
  for (const spec of specs) {
    const result = await harness.runWorkload(spec, contenders, run, unavailable);
    results.push(result);
    const parts = result.results
      .filter((r) => r.summary)
      .map(
        (r) => `${CONTENDER_LABELS[r.contender]} ${formatMs(r.summary!.median)}${r.mismatch ? ' WRONG' : ''}`,
      );
    const bad = result.results.filter((r) => r.error || r.mismatch).map((r) => CONTENDER_LABELS[r.contender]);
    console.error(
      `${spec.id}: ${parts.join(', ')} ms (${result.results[0]?.times.length ?? 0} reps)${bad.length ? ` — FAILED: ${bad.join(', ')}` : ''}`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const header = [
    `mg benchmarks — ${new Date().toISOString().slice(0, 10)}, ${machine()}, Node ${process.version}${tfInfo ? `, ${tfInfo}` : ''}${options.quick ? ', --quick' : ''}; ${seconds.toFixed(0)} s.`,
    '',
  ];
  console.log([...header, formatReport(specs, results)].join('\n'));
  if (options.json) {
    const raw = {
      date: new Date().toISOString(),
      machine: machine(),
      node: process.version,
      tfjs: tfInfo,
      quick: options.quick,
      options: run,
      problems,
      workloads: results.map((r) => ({
        ...r,
        targets: verdicts(specs.find((s) => s.id === r.workload)!, r),
      })),
    };
    writeFileSync(options.json, `${JSON.stringify(raw, null, 2)}\n`);
  }
  if (hasFailures(results)) {
    console.error('\nFAILED: a contender threw or computed different numbers (see the notes above).');
    return 1;
  }
  return 0;
}

/** The heavy modules, loaded after argument parsing so that --help and --list stay instant. */
async function loadModules() {
  const [harness, mg, tfjs] = await Promise.all([
    import('./harness.js'),
    import('./mg.js'),
    import('./tfjs.js'),
  ]);
  return { harness, mg, tfjs };
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
