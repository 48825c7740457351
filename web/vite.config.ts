import { defineConfig } from 'vitest/config';

// The server serves ../src/Fairlabel/wwwroot and falls back to index.html for non-/api paths.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../src/Fairlabel/wwwroot',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5000', '/health': 'http://127.0.0.1:5000' },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
