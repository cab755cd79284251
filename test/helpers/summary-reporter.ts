/**
 * The last lines of a CI run: what failed and every unhandled error, each in a few lines, then
 * "N passed, N failed, N skipped, N unhandled errors". A CI log is often read from its end, and
 * vitest prints an unhandled error (which fails the run even when every test passes) far above it.
 */
import type { Reporter, SerializedError, TestModule } from 'vitest/node'

const STACK_LINES = 6

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    const lines: string[] = []
    for (const module of testModules) {
      for (const error of module.errors()) lines.push(`file error in ${module.moduleId}: ${firstLine(error.message)}`)
      for (const test of module.children.allTests()) {
        const result = test.result()
        if (result.state === 'passed') counts.passed += 1
        else if (result.state === 'failed') {
          counts.failed += 1
          lines.push(`failed: ${test.fullName} (${module.moduleId}): ${firstLine(result.errors?.[0]?.message)}`)
        } else counts.skipped += 1
      }
    }
    for (const error of unhandledErrors) lines.push(...describeUnhandled(error))
    lines.push(
      `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped, ${unhandledErrors.length} unhandled errors`,
    )
    process.stdout.write(`\n${lines.join('\n')}\n`)
  }
}

function describeUnhandled(error: SerializedError): string[] {
  const where = [error['VITEST_TEST_PATH'], error['VITEST_TEST_NAME']].filter((part) => typeof part === 'string').join(' > ')
  const head = `unhandled error${where === '' ? '' : ` in ${where}`}: ${error.name ?? 'Error'}: ${firstLine(error.message)}`
  const stack = (error.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at ')).slice(0, STACK_LINES)
  const cause = error.cause as SerializedError | undefined
  return [head, ...stack.map((line) => `    ${line.trim()}`), ...(cause?.message ? [`    caused by: ${firstLine(cause.message)}`] : [])]
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0] ?? ''
}
