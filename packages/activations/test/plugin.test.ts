// The package is a plugin: its sources import nothing but @mg/core's public entry point (and each other), and
// every op it defines is registered with core under its `mg.` id.

import './mode.js';

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOps } from '@mg/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as activations from '../src/index.js';

const srcDir = new URL('../src', import.meta.url).pathname;

/** Every module specifier a file names: static imports and re-exports, `import()`, `require()`. */
function specifiers(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

describe('@mg/activations as a plugin', () => {
  it("imports nothing but '@mg/core' and its own ./ modules", () => {
    const files = readdirSync(srcDir).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((name) =>
      specifiers(join(srcDir, name))
        .filter((spec) => spec !== '@mg/core' && !spec.startsWith('./'))
        .map((spec) => `${name}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('detects every kind of import (the check above is not vacuous)', () => {
    const sample =
      "import a from '../core/src/x.js';\nexport * from '@mg/core/internal';\nawait import('node:fs');\n" +
      "const b = require('lodash');\nimport './side-effect.js';";
    expect(ts.preProcessFile(sample, true, true).importedFiles.map((f) => f.fileName)).toEqual([
      '../core/src/x.js',
      '@mg/core/internal',
      'node:fs',
      'lodash',
      './side-effect.js',
    ]);
  });

  it('registers each op class with core under its id', () => {
    const ops = listOps();
    for (const Op of [
      activations.Elu,
      activations.Relu,
      activations.Selu,
      activations.Sigmoid,
      activations.Softmax,
      activations.LogSoftmax,
    ]) {
      expect(Op.id).toMatch(/^mg\.[a-z][A-Za-z]*$/);
      expect(ops).toContain(Op.id);
    }
  });
});
