// Prints the gzipped size of the JS and CSS the task page loads: the entry chunk, the task
// route's chunk, and every chunk and stylesheet they import statically. Reads Vite's manifest.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../../src/Fairlabel/wwwroot');
const taskRoute = 'src/task/TaskPage.tsx';
const budget = 60 * 1024;

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8'));
} catch {
  console.error(`No Vite manifest in ${outDir}: run "npm run build" first.`);
  process.exit(2);
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey || !manifest[taskRoute]) {
  console.error(`Manifest lacks the entry or ${taskRoute}.`);
  process.exit(2);
}

const files = new Set();
const seen = new Set();
function collect(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imp of chunk.imports ?? []) collect(imp);
}
collect(entryKey);
collect(taskRoute);

let total = 0;
const rows = [...files].sort().map((f) => {
  const gz = gzipSync(readFileSync(join(outDir, f)), { level: 9 }).length;
  total += gz;
  return [f, gz];
});
for (const [f, gz] of rows) console.log(`${String(gz).padStart(8)}  ${f}`);
console.log(`task page JS+CSS gzipped: ${total} bytes (${(total / 1024).toFixed(1)} KB; budget ${budget / 1024} KB)`);
process.exit(total <= budget ? 0 : 1);
