// Fails the build when the JavaScript a first visit loads grows past the budget: the entry
// script and every module index.html preloads, gzipped as the server sends them (precompress.mjs).
//   node scripts/size-budget.mjs [static dir]
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';

const BUDGET_KB = 250;
const TARGET_KB = 170;

const dir = process.argv[2] ?? new URL('../../src/villagepump/static', import.meta.url).pathname;
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
if (scripts.length === 0) {
    console.error('size budget: no script found in index.html');
    process.exit(1);
}
let total = 0;
for (const script of scripts) {
    const gzipped = gzipSync(readFileSync(join(dir, script)), {level: 9}).length;
    total += gzipped;
    console.log(`  ${script}: ${(gzipped / 1000).toFixed(1)} KB gzip`);
}
const kb = total / 1000;
console.log(`initial JavaScript: ${kb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB, target ${TARGET_KB} KB)`);
if (kb > BUDGET_KB) {
    console.error(`size budget exceeded by ${(kb - BUDGET_KB).toFixed(1)} KB`);
    process.exit(1);
}
