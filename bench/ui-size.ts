// Prints the gzip size of the JavaScript the console's first page needs (the entry
// script and every chunk it imports statically: the sign-in screen) and of the whole
// build, and fails when the first page is over budget. Reads dist/; run `vite build`
// first.  Usage: npx tsx bench/ui-size.ts [dist]

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Static imports of a built chunk (`import … from "./x.js"` and bare `import "./x.js"`), not `import()`. */
function staticImports(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?\sfrom\s*)?["']([^"']+\.js)["']/g)) {
    out.push(path.resolve(path.dirname(file), m[1]));
  }
  return out;
}

const entries = [
  ...[...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]),
  ...[...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]),
].map((src) => path.join(dist, src.replace(/^\//, '')));

const firstPage = new Set<string>();
const queue = [...entries];
while (queue.length > 0) {
  const f = queue.pop()!;
  if (firstPage.has(f) || !fs.existsSync(f)) continue;
  firstPage.add(f);
  queue.push(...staticImports(f));
}

const allJs: string[] = [];
const walk = (dir: string) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.js')) allJs.push(p);
  }
};
walk(dist);

// The catalogues the first screen waits for (src/ui/main.tsx: initI18n preloads `common` and
// `app`) are chunks of their own, one per language; count the larger of each, and theme.js.
const assets = fs.readdirSync(path.join(dist, 'assets'));
for (const ns of ['common', 'app']) {
  const chunks = assets.filter((a) => new RegExp(`^${ns}-[\\w-]+\\.js$`).test(a)).map((a) => path.join(dist, 'assets', a));
  const largest = chunks.sort((a, b) => gz(b) - gz(a))[0];
  if (largest) firstPage.add(largest);
}
if (fs.existsSync(path.join(dist, 'theme.js'))) firstPage.add(path.join(dist, 'theme.js'));

const firstTotal = [...firstPage].reduce((s, f) => s + gz(f), 0);
const allTotal = allJs.reduce((s, f) => s + gz(f), 0);
// React and React DOM alone are about 69 KB, i18next and its catalogues about 20 KB. The
// router, query cache, JMAP client and shell load after sign-in (src/ui/app/Console.tsx).
const budget = 110 * 1024; // issue 15

console.log('First page JavaScript (gzip):');
for (const f of [...firstPage].sort()) console.log(`  ${path.relative(dist, f).padEnd(40)} ${kb(gz(f))}`);
console.log(`  ${'total'.padEnd(40)} ${kb(firstTotal)}  (budget ${kb(budget)}: ${firstTotal <= budget ? 'within' : 'OVER'})`);
console.log(`Whole build JavaScript (gzip): ${kb(allTotal)} in ${allJs.length} files`);
if (firstTotal > budget) process.exitCode = 1;
