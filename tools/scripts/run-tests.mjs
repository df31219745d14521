// Runs every project's `test` target through nx (cached), then prints the one summary line CI reads:
// `N passed, N failed` (vitest's own closing lines are not recognised by CI).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const projectDirs = ['packages', 'tools'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name)),
);
// Stale reports must not be counted: nx restores the report of every cache hit, reruns write the others.
const reports = (dir) =>
  existsSync(join(dir, '.vitest'))
    ? readdirSync(join(dir, '.vitest'))
        .filter((name) => name.endsWith('.json'))
        .map((name) => join(dir, '.vitest', name))
    : [];
for (const dir of projectDirs) for (const file of reports(dir)) rmSync(file, { force: true });

const nxArgs = ['nx', 'run-many', '-t', 'test', '--output-style=static', ...process.argv.slice(2)];
const run = spawnSync('pnpm', ['exec', ...nxArgs], { stdio: 'inherit', cwd: root });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of projectDirs.flatMap(reports)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
const status = run.status ?? 1;
// A project that crashed before writing its report still fails the run.
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);
