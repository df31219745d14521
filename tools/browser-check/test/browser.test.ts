// Proves zero-config browser loading: bundles page/ with Vite (no wasm-specific config), serves it on
// localhost and runs a wasm forward+backward in headless Chromium, compared with the cpu backend in Node.
import '@mg/backend-cpu/register';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setBackend } from '@mg/core';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckResult, forwardBackward } from '../page/compute.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const pageDir = fileURLToPath(new URL('../page/', import.meta.url));

if (!hasChromium) {
  if (process.env.CI) {
    it('has Chromium installed', () => {
      expect.fail(
        `${CHROMIUM} is missing: .ci/run must install Debian's chromium package (apt-get install chromium)`,
      );
    });
  } else {
    console.log(`browser-check: ${CHROMIUM} not found, skipping (apt-get install chromium to run it)`);
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

// No eval of any kind (`new Function` included); wasm compilation only. Served with `?csp`.
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src data:";

/** A static file server for `root` on 127.0.0.1 at a free port; 404 for anything outside it. */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          ...(url.searchParams.has('csp') ? { 'content-security-policy': STRICT_CSP } : {}),
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** What one page load published and logged. */
interface PageRun {
  csp: string | undefined;
  violations: string[];
  result: CheckResult | undefined;
  error: string | undefined;
  consoleErrors: string[];
}

/** Same shape, every element equal to float64 precision (the backends may order sums differently). */
function expectAllClose(got: number[][], want: number[][]): void {
  expect(got.map((row) => row.length)).toEqual(want.map((row) => row.length));
  const expected = want.flat();
  for (const [i, value] of got.flat().entries()) expect(value).toBeCloseTo(expected[i]!, 10);
}

/** Every file under `dir`, relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

it.each(['@mg/core', '@mg/backend-cpu', '@mg/backend-wasm', '@mg/activations', '@mg/losses', '@mg/layers'])(
  'ships no eval or new Function: %s',
  (name) => {
    const dist = dirname(createRequire(import.meta.url).resolve(name));
    const shipped = readdirSync(dist).filter((file) => /\.c?js$/.test(file));
    expect(shipped.length).toBeGreaterThan(0);
    for (const file of shipped) {
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toMatch(/\beval\s*\(|\bFunction\s*\(/);
    }
  },
);

describe.runIf(hasChromium)('browser bundle (Vite + headless Chromium)', () => {
  let outDir = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';

  /** Opens the page at `path`, waits for it to publish, and returns what it published and logged. */
  async function openPage(path: string): Promise<PageRun> {
    const page = await browser!.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    try {
      const response = await page.goto(new URL(path, baseUrl).href);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('body[data-result], body[data-error]', {
        state: 'attached',
        timeout: 60_000,
      });
      const data = await page.evaluate(() => ({ ...document.body.dataset }));
      return {
        csp: response?.headers()['content-security-policy'],
        violations: JSON.parse(data.violations ?? '[]') as string[],
        result: data.result ? (JSON.parse(data.result) as CheckResult) : undefined,
        error: data.error,
        consoleErrors,
      };
    } finally {
      await page.close();
    }
  }

  /** Asserts a page run computed, on wasm, what the cpu backend computes in Node, and logged no errors. */
  async function expectMatchesCpu(run: PageRun): Promise<void> {
    expect(run.error).toBeUndefined();
    expect(run.consoleErrors).toEqual([]);
    expect(run.result?.backend).toBe('wasm');
    await setBackend('cpu');
    const reference = forwardBackward();
    expect(reference.backend).toBe('cpu');
    const got = run.result!;
    expect(got.loss).toBeCloseTo(reference.loss, 10);
    expectAllClose(got.wGrad, reference.wGrad);
    expectAllClose(got.xGrad, reference.xGrad);
  }

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'mg-browser-check-'));
    await build({
      root: pageDir,
      configFile: join(pageDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const served = await serve(outDir);
    server = served.server;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    baseUrl = served.url;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('bundles the wasm module bytes into the JavaScript (no separate .wasm file)', () => {
    const files = listFiles(outDir);
    expect(files).toContain('index.html');
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.filter((file) => file.endsWith('.wasm'))).toEqual([]);
  });

  it('runs forward+backward on the wasm backend, matching the cpu backend in Node, with no console errors', async () => {
    const run = await openPage('/');
    expect(run.csp).toBeUndefined();
    await expectMatchesCpu(run);
  });

  it("runs under a strict CSP (no 'unsafe-eval', wasm compilation only)", async () => {
    const run = await openPage('/?csp');
    expect(run.csp).toBe(STRICT_CSP);
    // Nothing may be blocked: no package compiles strings, and wasm compilation is what the policy allows.
    expect(run.violations).toEqual([]);
    await expectMatchesCpu(run);
  });
});
