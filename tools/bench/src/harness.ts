// The runner: prepares every contender on a workload, warms up, times repetitions round-robin (so drift and
// noise hit every contender alike), and checks that all contenders computed the same numbers.
import {
  compareReadouts,
  FLOAT32_TOLERANCE,
  type Mismatch,
  type Readout,
  snapshot,
  type Tolerance,
} from './check.js';
import type { Inputs } from './inputs.js';
import { repsForBudget, type Summary, summarize } from './stats.js';
import type { ContenderId, WorkloadSpec } from './workloads.js';

/** A contender's workload, ready to run. */
export interface Prepared {
  /** Runs the workload once and reads its result back: the timed part. */
  run(): Readout;
  /** Further results of the last run, read back untimed for the equality check (e.g. updated weights). */
  verify?(): Readout;
  /** Frees what the last run made (timed with run, as tfjs frees intermediates inside its own time). */
  release(): void;
  /** Frees the inputs. */
  dispose(): void;
}

/** A library + backend + dtype that runs workloads. */
export interface Contender {
  readonly id: ContenderId;
  /** Selects this contender's backend (untimed, before each of its runs). */
  activate(): Promise<void>;
  /** Uploads the inputs and returns the workload; throws when the contender cannot run it. */
  prepare(workload: WorkloadSpec, inputs: Inputs): Prepared;
}

/** How hard to measure. */
export interface RunOptions {
  /** Untimed rounds before timing. */
  readonly warmup: number;
  readonly minReps: number;
  readonly maxReps: number;
  /** Timed rounds are added (up to maxReps) while they fit this budget, estimated from the warm-up. */
  readonly budgetMs: number;
  readonly tolerance?: Tolerance;
  /** The clock; performance.now by default (tests pass a fake one). */
  readonly now?: () => number;
}

/** One contender's outcome on one workload. */
export interface ContenderResult {
  readonly contender: ContenderId;
  /** Timed repetitions in ms, in the order run. */
  readonly times: readonly number[];
  /** Null when the contender failed or was skipped. */
  readonly summary: Summary | null;
  /** Why it failed (an exception), or null. */
  readonly error: string | null;
  /** Why it was not run (e.g. --quick), or null. */
  readonly skipped: string | null;
  /** Its results differ from the reference contender's. */
  readonly mismatch: Mismatch | null;
}

/** One workload's outcome. */
export interface WorkloadResult {
  readonly workload: WorkloadSpec['id'];
  /** The contender everyone was compared with (the most precise one available). */
  readonly reference: ContenderId | null;
  readonly results: readonly ContenderResult[];
}

/** The contender the others are checked against: mg's float64 result when present, else the first. */
export function pickReference(ids: readonly ContenderId[]): ContenderId | null {
  return ids.includes('mg-cpu-f64') ? 'mg-cpu-f64' : (ids[0] ?? null);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Slot {
  readonly contender: Contender;
  prepared: Prepared | null;
  error: string | null;
  mismatch: Mismatch | null;
  readonly times: number[];
}

/**
 * Runs `workload` on every contender: prepare, `options.warmup` untimed rounds (the first one's results are
 * checked), then timed rounds with the contender order rotated every round, the last round's results checked
 * again. A contender that throws is dropped from the workload with its error recorded.
 */
export async function runWorkload(
  workload: WorkloadSpec,
  contenders: readonly Contender[],
  options: RunOptions,
  skipped: ReadonlyMap<ContenderId, string> = new Map(),
): Promise<WorkloadResult> {
  const now = options.now ?? (() => performance.now());
  const tolerance = options.tolerance ?? FLOAT32_TOLERANCE;
  const inputs = workload.inputs();
  const slots: Slot[] = contenders
    .filter((c) => !skipped.has(c.id))
    .map((contender) => ({ contender, prepared: null, error: null, mismatch: null, times: [] }));
  for (const slot of slots) {
    try {
      await slot.contender.activate();
      slot.prepared = slot.contender.prepare(workload, inputs);
    } catch (error) {
      slot.error = `prepare: ${message(error)}`;
    }
  }
  const live = () => slots.filter((s) => s.prepared !== null && s.error === null);

  /** Runs every live contender once (order rotated by `round`); returns the round's ms and, if asked, results. */
  const round = async (index: number, timed: boolean, collect: boolean) => {
    const order = live();
    const results = new Map<Slot, Float64Array[]>();
    let total = 0;
    for (let k = 0; k < order.length; k++) {
      const slot = order[(k + index) % order.length]!;
      const prepared = slot.prepared!;
      try {
        // A macrotask turn (untimed) before every run, as any real program has between steps: without it
        // FinalizationRegistry callbacks (core's safety net freeing undisposed wasm tensors) never run.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await slot.contender.activate();
        // Timed: run (compute + read back) and release (freeing what the run made, as tf.tidy does inside
        // tfjs's own time); the untimed check copies in between.
        const start = now();
        const readout = prepared.run();
        const ran = now();
        if (collect) results.set(slot, [...snapshot(readout), ...snapshot(prepared.verify?.() ?? [])]);
        const released = now();
        prepared.release();
        const elapsed = ran - start + (now() - released);
        total += elapsed;
        if (timed) slot.times.push(elapsed);
      } catch (error) {
        slot.error = `run: ${message(error)}`;
      }
    }
    return { total, results };
  };

  const check = (results: Map<Slot, Float64Array[]>) => {
    const ids = [...results.keys()].map((s) => s.contender.id);
    const referenceId = pickReference(ids);
    const reference = [...results.entries()].find(([s]) => s.contender.id === referenceId)?.[1];
    if (!reference) return;
    for (const [slot, readout] of results) {
      if (slot.contender.id === referenceId || slot.mismatch) continue;
      slot.mismatch = compareReadouts(reference, readout, tolerance);
    }
  };

  let roundMs = 0;
  for (let w = 0; w < Math.max(1, options.warmup); w++) {
    const { total, results } = await round(w, false, w === 0);
    if (w === 0) check(results);
    roundMs = total;
  }
  const reps = repsForBudget(roundMs, options.budgetMs, options.minReps, options.maxReps);
  for (let r = 0; r < reps; r++) {
    const { results } = await round(r, true, r === reps - 1);
    if (r === reps - 1) check(results);
  }
  for (const slot of slots) {
    try {
      slot.prepared?.dispose();
    } catch (error) {
      slot.error ??= `dispose: ${message(error)}`;
    }
  }

  const ids = slots.filter((s) => s.error === null).map((s) => s.contender.id);
  return {
    workload: workload.id,
    reference: pickReference(ids),
    results: [
      ...slots.map(
        (s): ContenderResult => ({
          contender: s.contender.id,
          times: s.times,
          summary: s.error === null && s.times.length > 0 ? summarize(s.times) : null,
          error: s.error,
          skipped: null,
          mismatch: s.mismatch,
        }),
      ),
      ...[...skipped].map(
        ([contender, reason]): ContenderResult => ({
          contender,
          times: [],
          summary: null,
          error: null,
          skipped: reason,
          mismatch: null,
        }),
      ),
    ],
  };
}
