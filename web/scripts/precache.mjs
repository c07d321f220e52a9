// A Vite plugin (web/vite.config.ts) that writes the build's scripts and style sheets into the
// service worker (public/sw.js, copied to the build as it is), so that installing it caches every
// part of the app, not only the first page's: the parts loaded when a dialog, panel or screen
// first opens then open offline too. A new build changes the worker's text, so browsers install
// it again and cache the new parts (and drop the old ones).
// Fonts are left out (KaTeX's alone are 20 files, 300 KB): the worker keeps each one the first
// time a page uses it (sw.js, cache-first for /assets/), so formulas read once draw offline too.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const PLACEHOLDER = 'const BUILD_ASSETS = [];';
const PRECACHED = /\.(js|css)$/;

export function precached() {
    let outDir = '';
    return {
        name: 'villagepump-precache',
        apply: 'build',
        configResolved(config) {
            outDir = config.build.outDir;
        },
        // At the very end: the public folder (with sw.js) and every chunk are written by then.
        closeBundle() {
            const assets = readdirSync(join(outDir, 'assets')).filter((name) => PRECACHED.test(name)).sort()
                .map((name) => `/assets/${name}`);
            const worker = join(outDir, 'sw.js');
            const code = readFileSync(worker, 'utf8');
            if (!code.includes(PLACEHOLDER)) {
                throw new Error(`precache: ${PLACEHOLDER} not found in sw.js`);
            }
            writeFileSync(worker, code.replace(PLACEHOLDER, `const BUILD_ASSETS = ${JSON.stringify(assets)};`));
        },
    };
}
