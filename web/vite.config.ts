import react from '@vitejs/plugin-react';
import {defineConfig} from 'vitest/config';

// @ts-expect-error: a plain JavaScript build script, without types
import {precompressed} from './scripts/precompress.mjs';
// @ts-expect-error: a plain JavaScript build script, without types
import {precached} from './scripts/precache.mjs';

// The build lands in the Python package, which serves it at / (src/villagepump/api/webapp.py).
export default defineConfig({
    plugins: [react(), precompressed(), precached()],
    base: '/',
    build: {
        outDir: '../src/villagepump/static',
        emptyOutDir: true,
        assetsDir: 'assets',
        // No source maps in the package: they would double its size for no user's benefit.
        sourcemap: false,
        target: 'es2022',
        // Fonts (KaTeX's) stay files: the CSP's font-src 'self' refuses a data: URL, which Vite
        // would otherwise make of the smallest ones.
        assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
    },
    test: {
        environment: 'jsdom',
        include: ['src/**/*.test.{ts,tsx}'],
        setupFiles: ['src/test/setup.ts'],
    },
});
