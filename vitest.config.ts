import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// Two projects: `unit` needs no database and runs in seconds; `integration` starts a real
// PostgreSQL once (test/helpers/global-setup.ts) and also runs its suites on PGlite.
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // which ran the whole suite one file at a time. An integration file spends part of its time
    // waiting on the CLIs it spawns and on the server, so one worker more than the cores keeps
    // them busy; more only adds contention (the suite is bound by CPU), which stretches the few
    // tests that wait for a lock or a timeout. At most 8, for the server's connection limit.
    // Every file makes its own databases, projects and roles, so files run side by side.
    // VITEST_MAX_WORKERS overrides this (docs/internals/testing.md).
    maxWorkers: Math.min(availableParallelism() + 1, 8),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Unit tests share no state through globals, so their files share worker processes:
          // a fresh process per file cost more than all the unit tests together.
          isolate: false,
          typecheck: { enabled: true, include: ['test/unit/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
})
