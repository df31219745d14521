// One test per committed golden case: the replay must pass or be unsupported (not yet implemented), so a
// regression shows up under its case id.
import * as core from '@mg/core';
import { loadGoldenDir } from '@mg/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreApi, replayCase } from '../src/replay.js';
import { type FunctionTable, resolveAll } from '../src/resolve.js';

const cases = loadGoldenDir(new URL('../fixtures', import.meta.url).pathname);
let table: FunctionTable;

beforeAll(async () => {
  table = await resolveAll(cases.map((c) => c.fn));
});

describe.each([...new Set(cases.map((c) => c.source.split('/').at(-1)!))])('%s', (file) => {
  it.each(cases.filter((c) => c.source.endsWith(`/${file}`)).map((c) => [c.id, c] as const))('%s', (_, c) => {
    const result = replayCase(c, table, core as unknown as CoreApi);
    expect(result.status === 'fail' ? result.reasons : [], `${c.id} (${c.fn})`).toEqual([]);
  });
});
