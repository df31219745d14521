// checkNoLeaks: memory growth is reported in bytes and buffers, and returned tensors can be disposed first.
import { add, tensor } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { checkNoLeaks, checkNoLeaksAsync } from '../src/index.js';

describe('checkNoLeaks', () => {
  it('reports the tensors fn keeps alive', () => {
    const report = checkNoLeaks(() => tensor([1, 2, 3]));
    expect(report.buffers).toBe(1);
    expect(report.bytes).toBe(24);
    expect(report.result.shape).toEqual([3]);
    expect(report.after.buffers - report.before.buffers).toBe(1);
    report.result.dispose();
  });

  it('reports nothing when fn disposes its intermediates and the result is disposed', () => {
    const report = checkNoLeaks(
      () => {
        const a = tensor([1, 2], { dtype: 'float32' });
        const b = add(a, a);
        a.dispose();
        return { b, list: [tensor([true])] };
      },
      { disposeResult: true },
    );
    expect(report).toMatchObject({ bytes: 0, buffers: 0 });
    expect(report.result.b.isDisposed).toBe(true);
    expect(report.result.list[0]!.isDisposed).toBe(true);
  });

  it('sees a leaked intermediate', () => {
    const report = checkNoLeaks(
      () => {
        const a = tensor([1, 2]);
        return add(a, a);
      },
      { disposeResult: true },
    );
    expect(report.buffers).toBe(1);
    expect(report.bytes).toBe(16);
  });

  it('works for async code', async () => {
    const report = await checkNoLeaksAsync(async () => tensor([1]), { disposeResult: true });
    expect(report).toMatchObject({ bytes: 0, buffers: 0 });
  });
});
