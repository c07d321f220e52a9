// A Vite plugin (web/vite.config.ts) that writes a gzipped copy beside each script, style sheet
// and SVG of the build (name.js.gz), which the server sends to browsers that accept gzip
// (src/villagepump/api/webapp.py): compressed once here, at the highest level, rather than on
// every request. On a phone's slow network the scripts are most of a first visit's wait
// (bench/README.md, "Web client in Chromium").
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';

const COMPRESSIBLE = /\.(js|css|svg)$/;

export function precompressed() {
    return {
        name: 'villagepump-precompressed',
        apply: 'build',
        // Once the files are written: other plugins may still change a chunk's code before that.
        writeBundle(options, bundle) {
            for (const fileName of Object.keys(bundle)) {
                if (COMPRESSIBLE.test(fileName)) {
                    const path = join(options.dir, fileName);
                    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), {level: 9}));
                }
            }
        },
    };
}
