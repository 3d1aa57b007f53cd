import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 20000,
    pool: 'forks',
    setupFiles: ['src/ui/test/i18n.ts'],
  },
});
