// The Markdown report: one row per workload with every contender's median (IQR), the mg/peer ratios and
// whether each target is met, then notes (per-op times, throughput, skips, errors, wrong results).
import type { ContenderResult, WorkloadResult } from './harness.js';
import { speedup } from './stats.js';
import {
  CONTENDER_IDS,
  type ContenderId,
  MG_COUNTERPART,
  type Target,
  type WorkloadSpec,
} from './workloads.js';

/** Column headers of the contenders. */
export const CONTENDER_LABELS: Readonly<Record<ContenderId, string>> = {
  'mg-cpu-f32': 'mg-cpu f32',
  'mg-cpu-f64': 'mg-cpu f64',
  'mg-wasm': 'mg-wasm',
  'tfjs-cpu': 'tfjs-cpu',
  'tfjs-wasm': 'tfjs-wasm',
};

/** A target's verdict in one run. */
export interface TargetVerdict {
  readonly peer: Target['peer'];
  readonly min: number;
  /** peer / mg, or null when either side has no valid timing. */
  readonly ratio: number | null;
  readonly status: 'met' | 'NOT met' | 'n/a';
}

/** Formats milliseconds with about three significant digits. */
export function formatMs(ms: number): string {
  if (ms >= 99.5) return ms.toFixed(0);
  // Round first, so 0.9996 shows as 1.00 rather than 1.000.
  ms = Number(ms.toPrecision(3));
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

function resultOf(result: WorkloadResult, id: ContenderId): ContenderResult | undefined {
  return result.results.find((r) => r.contender === id);
}

/** The median of a contender whose run was valid (no error, no wrong result), else null. */
export function validMedian(result: WorkloadResult, id: ContenderId): number | null {
  const r = resultOf(result, id);
  if (!r || r.error || r.mismatch || !r.summary) return null;
  return r.summary.median;
}

/** peer median / mg median for a peer (tfjs-cpu vs mg-cpu f32, tfjs-wasm vs mg-wasm). */
export function ratioFor(result: WorkloadResult, peer: Target['peer']): number | null {
  return speedup(validMedian(result, peer), validMedian(result, MG_COUNTERPART[peer]));
}

/** Whether each of the workload's targets is met in this run. */
export function verdicts(spec: WorkloadSpec, result: WorkloadResult): TargetVerdict[] {
  return spec.targets.map((t) => {
    const ratio = ratioFor(result, t.peer);
    return { ...t, ratio, status: ratio === null ? 'n/a' : ratio >= t.min ? 'met' : 'NOT met' };
  });
}

function cell(result: WorkloadResult, id: ContenderId): string {
  const r = resultOf(result, id);
  if (!r) return '—';
  if (r.error) return 'error';
  if (r.skipped) return 'skipped';
  if (!r.summary) return '—';
  const { median, q1, q3 } = r.summary;
  const text = `${formatMs(median)} (${formatMs(q1)}–${formatMs(q3)})`;
  return r.mismatch ? `**WRONG** ${text}` : text;
}

function ratioCell(ratio: number | null): string {
  return ratio === null ? '—' : `${ratio.toFixed(2)}×`;
}

function shortPeer(peer: Target['peer']): string {
  return peer === 'tfjs-cpu' ? 'cpu' : 'wasm';
}

function targetCell(list: readonly TargetVerdict[]): string {
  if (list.length === 0) return '—';
  return list.map((v) => `${shortPeer(v.peer)} ≥${v.min}×: ${v.status}`).join('; ');
}

/** The notes under the table: per-op times, GFLOP/s, skips, errors and wrong results. */
function notes(specs: readonly WorkloadSpec[], results: readonly WorkloadResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const spec = specs.find((s) => s.id === result.workload)!;
    const medians = CONTENDER_IDS.map((id) => [id, validMedian(result, id)] as const).filter(
      (e): e is readonly [ContenderId, number] => e[1] !== null,
    );
    if (spec.opsPerRun && medians.length > 0) {
      const perOp = medians.map(
        ([id, ms]) => `${CONTENDER_LABELS[id]} ${((ms * 1000) / spec.opsPerRun!).toFixed(2)}`,
      );
      lines.push(`- ${spec.title}: µs per (add + backward): ${perOp.join(', ')}.`);
    }
    if (spec.flops && medians.length > 0) {
      const rates = medians.map(
        ([id, ms]) => `${CONTENDER_LABELS[id]} ${(spec.flops! / ms / 1e6).toFixed(2)}`,
      );
      lines.push(`- ${spec.title}: GFLOP/s: ${rates.join(', ')}.`);
    }
    for (const r of result.results) {
      const who = `${spec.title} / ${CONTENDER_LABELS[r.contender]}`;
      if (r.error) lines.push(`- **ERROR** ${who}: ${r.error}`);
      if (r.mismatch)
        lines.push(
          `- **WRONG RESULT** ${who} differs from ${result.reference ? CONTENDER_LABELS[result.reference] : '?'}: ${r.mismatch.message}`,
        );
    }
  }
  // A contender skipped for one reason on several workloads (mg-wasm not ready) gets one line.
  const skips = new Map<string, string[]>();
  for (const result of results) {
    for (const r of result.results) {
      if (!r.skipped) continue;
      const key = `${CONTENDER_LABELS[r.contender]}: ${r.skipped}`;
      skips.set(key, [...(skips.get(key) ?? []), specs.find((s) => s.id === result.workload)!.title]);
    }
  }
  for (const [key, titles] of skips)
    lines.push(
      `- skipped ${key} (${titles.length === results.length ? 'every workload' : titles.join('; ')})`,
    );
  return lines;
}

/** The Markdown table (plus notes) of a run; only the contenders that appear in some result get a column. */
export function formatReport(specs: readonly WorkloadSpec[], results: readonly WorkloadResult[]): string {
  const present = CONTENDER_IDS.filter((id) => results.some((r) => resultOf(r, id)));
  const header = [
    'workload',
    ...present.map((id) => CONTENDER_LABELS[id]),
    'tfjs-cpu / mg-cpu',
    'tfjs-wasm / mg-wasm',
    'target met?',
  ];
  const rows = results.map((result) => {
    const spec = specs.find((s) => s.id === result.workload)!;
    return [
      spec.title,
      ...present.map((id) => cell(result, id)),
      ratioCell(ratioFor(result, 'tfjs-cpu')),
      ratioCell(ratioFor(result, 'tfjs-wasm')),
      targetCell(verdicts(spec, result)),
    ];
  });
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:'));
  const out = [line(header), line(align), ...rows.map(line)];
  out.push(
    '',
    'Times in ms: median (interquartile range) of the timed repetitions, result read back included. Ratios are',
    'peer median / mg median, float32 against float32 (mg-cpu f32 for tfjs-cpu): above 1× mg is faster.',
  );
  const extra = notes(specs, results);
  if (extra.length > 0) out.push('', ...extra);
  return out.join('\n');
}

/** True when some contender threw or computed different numbers: the run must fail. */
export function hasFailures(results: readonly WorkloadResult[]): boolean {
  return results.some((w) => w.results.some((r) => r.error !== null || r.mismatch !== null));
}
