import { setFlagsFromString } from 'node:v8'

let baselineOnly = false

/**
 * PGlite is PostgreSQL compiled to WebAssembly: V8 compiles its 9 MB module with its baseline
 * compiler (Liftoff), then again with its optimising one (TurboFan) as functions run. For a
 * command's few queries the second compile costs more than it saves (docs/performance.md has the
 * figures). The flag is process-wide, so only the `tsdb` command line asks for it: an application
 * calling tsdb's API keeps V8's defaults for its own WebAssembly.
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
