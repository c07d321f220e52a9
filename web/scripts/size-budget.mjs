// Fails the build when the JavaScript a first visit loads grows past the budget: the entry
// script, every chunk it imports statically (followed from import to import, so a chunk counts
// whether or not index.html preloads it) and every module index.html preloads, gzipped as the
// server sends them (precompress.mjs). Chunks loaded with import() when a dialog, panel or other
// screen first opens (app/deferred.tsx) are listed apart: they are not part of the first load.
//   node scripts/size-budget.mjs [static dir]
import {readdirSync, readFileSync} from 'node:fs';
import {join, posix} from 'node:path';
import {gzipSync} from 'node:zlib';

const BUDGET_KB = 250;
const TARGET_KB = 170;

const dir = process.argv[2] ?? new URL('../../src/villagepump/static', import.meta.url).pathname;
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const named = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
if (named.length === 0) {
    console.error('size budget: no script found in index.html');
    process.exit(1);
}

// Static imports and re-exports of a built chunk: `import{a as b}from"./x.js"`, `import"./y.js"`,
// `export{c}from"./z.js"`. A dynamic import() has a parenthesis after the keyword and is left out.
const STATIC_IMPORT = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;

function staticImports(file) {
    const code = readFileSync(join(dir, file), 'utf8');
    return [...code.matchAll(STATIC_IMPORT)].map((m) => posix.normalize(posix.join(posix.dirname(file), m[1])));
}

const initial = new Set();
const queue = [...named];
while (queue.length > 0) {
    const file = queue.shift();
    if (!initial.has(file)) {
        initial.add(file);
        queue.push(...staticImports(file));
    }
}

const gzipped = (file) => gzipSync(readFileSync(join(dir, file)), {level: 9}).length;
let total = 0;
for (const script of initial) {
    const size = gzipped(script);
    total += size;
    console.log(`  ${script}: ${(size / 1000).toFixed(1)} KB gzip`);
}
const later = readdirSync(join(dir, 'assets')).filter((name) => name.endsWith('.js')).map((name) => `assets/${name}`)
    .filter((file) => !initial.has(file));
const laterKb = later.reduce((sum, file) => sum + gzipped(file), 0) / 1000;
const kb = total / 1000;
console.log(`loaded when first needed: ${later.length} chunks, ${laterKb.toFixed(1)} KB gzip in all`);
console.log(`initial JavaScript: ${kb.toFixed(1)} KB gzip in ${initial.size} file(s) (budget ${BUDGET_KB} KB, target ${TARGET_KB} KB)`);
if (kb > BUDGET_KB) {
    console.error(`size budget exceeded by ${(kb - BUDGET_KB).toFixed(1)} KB`);
    process.exit(1);
}
