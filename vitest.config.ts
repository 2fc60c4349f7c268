import { defineConfig } from 'vitest/config'

// Three tiers (style.md #9): pure rules beside the code; services, repositories and the
// API on a real database (PGlite, or PostgreSQL with TEST_ENGINE=postgres); the browser.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts', 'test/api/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
          // A page's answer after a click can take over a second on a loaded 2-core CI machine
          // (expect.poll's default is 1 s, which made a plan-add check fail there once).
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
    ],
  },
})
