import type { Reporter } from '../../src/runner/reporter.js'
import type { MigrationStep } from '../../src/revision/migration-step.js'

/** A Reporter that keeps every line, for asserting what a run logged. */
export interface RecordingReporter extends Reporter {
  readonly lines: readonly string[]
  readonly finished: readonly MigrationStep[]
}

export function createRecordingReporter(): RecordingReporter {
  const lines: string[] = []
  const finished: MigrationStep[] = []
  return {
    lines,
    finished,
    stepStarted: (_step, line) => lines.push(line),
    stepFinished: (step) => finished.push(step),
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
  }
}
