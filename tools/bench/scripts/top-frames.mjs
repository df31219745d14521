// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and the
// heaviest inclusive (self + callees) frames, each with its share of the sampled time.
// usage: node scripts/top-frames.mjs PROFILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, count = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/top-frames.mjs PROFILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Samples per node, weighted by the time delta that follows each sample.
const selfTime = new Map();
profile.samples.forEach((id, i) => {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

const label = (n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|packages|tools)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map();
const inclusive = new Map();
for (const [id, t] of selfTime) {
  const key = label(nodes.get(id));
  self.set(key, (self.get(key) ?? 0) + t);
  // Count each function once per sample even when it recurses.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(nodes.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
}
const show = (title, map) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(count)))
    console.log(
      `${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(1).padStart(8)} ms  ${k}`,
    );
};
show('self time', self);
show('inclusive time', inclusive);
