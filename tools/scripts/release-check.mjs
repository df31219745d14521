// Shows what `changeset version` would produce for each package, without changing the tree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'mg-release-'));
const output = join(dir, 'plan.json');
try {
  // `status` exits 1 when a package changed without a changeset: the plan file is then missing, and its output says why.
  const status = spawnSync('pnpm', ['exec', 'changeset', 'status', `--output=${output}`], {
    encoding: 'utf8',
  });
  if (status.error) throw status.error;
  let plan;
  try {
    plan = JSON.parse(readFileSync(output, 'utf8'));
  } catch {
    process.stderr.write(status.stdout + status.stderr);
    process.exit(status.status || 1);
  }
  const rows = plan.releases
    .filter((r) => r.type !== 'none')
    .map((r) => `| ${r.name} | ${r.oldVersion} | ${r.type} | ${r.newVersion} |`);
  console.log(`${plan.changesets.length} pending changeset(s)\n`);
  console.log('| package | current | bump | next |\n|---|---|---|---|');
  console.log(rows.length ? rows.join('\n') : '| (none) | | | |');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
