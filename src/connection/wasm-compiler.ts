import { setFlagsFromString } from 'node:v8'

let baselineOnly = false

/**
 * For a command's few queries, V8's optimising compile of PGlite's WebAssembly costs more than it
 * saves (docs/performance.md). The flag is process-wide, so only the `tsdb` command asks for it.
 */
export function preferBaselineWasmCompiler(): void {
  baselineOnly = true
}

/** Called just before PGlite's module compiles; where V8 refuses the flag, PGlite runs as it would by default. */
export function applyWasmCompilerChoice(): void {
  if (!baselineOnly) return
  try {
    setFlagsFromString('--liftoff-only')
  } catch {
    // Unknown to this V8: the default compilers.
  }
}
