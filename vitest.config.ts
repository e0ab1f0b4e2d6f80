import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Component tests (tests/renderer, in happy-dom) mount the pages' .vue files.
  plugins: [vue()],
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: browser tests and database tests each want one.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
