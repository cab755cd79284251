import type { MigrationStep } from '../revision/migration-step.js'

/**
 * How the API reports progress. The API never prints; the CLI passes an ora/console
 * implementation and tests pass a recorder.
 */
export interface Reporter {
  /** A step is about to run (`Running upgrade a -> b, message`). */
  stepStarted(step: MigrationStep, line: string): void
  stepFinished(step: MigrationStep, ms: number): void
  /** Progress lines (stderr in the CLI). */
  info(message: string): void
  warn(message: string): void
}

export const silentReporter: Reporter = {
  stepStarted() {},
  stepFinished() {},
  info() {},
  warn() {},
}
