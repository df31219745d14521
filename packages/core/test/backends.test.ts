// Backend selection and data movement: a tensor made on one backend and used on another is moved once.
import { createCpuBackend } from '@mg/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  BackendContractError,
  BackendNotFoundError,
  getBackend,
  listBackends,
  multiply,
  RegistrationConflictError,
  registerBackend,
  setBackend,
  tensor,
} from '../src/index.js';

// A second, independent backend under another name (same kernels, its own storage and accounting).
const other: Backend = { ...createCpuBackend(), name: 'cpu-other' };
registerBackend(other);

afterEach(async () => {
  await setBackend('cpu');
});

describe('backends', () => {
  it('lists and selects registered backends', async () => {
    expect(listBackends()).toEqual(expect.arrayContaining(['cpu', 'cpu-other']));
    await setBackend('cpu-other');
    expect(getBackend()).toBe(other);
  });

  it('moves a tensor to the active backend once, transparently, and keeps autodiff working', async () => {
    const x = tensor([1, 2, 3]);
    const home = getBackend();
    await setBackend('cpu-other');
    const before = other.memory().buffers;
    const y = multiply(x, x);
    expect(x._storage?.backend).toBe(other);
    expect(home).not.toBe(other);
    expect(other.memory().buffers).toBeGreaterThan(before);
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    expect(y._storage?.backend).toBe(other);
  });

  it('rejects unknown names, conflicting registrations and incomplete backends', async () => {
    await expect(setBackend('nope')).rejects.toThrow(BackendNotFoundError);
    expect(() => registerBackend({ ...createCpuBackend(), name: 'cpu' })).toThrow(RegistrationConflictError);
    const { pad: _pad, ...kernels } = createCpuBackend().kernels;
    expect(() =>
      registerBackend({ ...createCpuBackend(), name: 'partial', kernels } as unknown as Backend),
    ).toThrow(BackendContractError);
  });
});
