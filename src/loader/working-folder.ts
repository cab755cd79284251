let chosen: string | undefined

/**
 * The folder a run works in: where the config search starts, what relative paths are relative
 * to, and whose node_modules holds the cache. The process's working folder, unless the CLI was
 * started for another one (`main(argv, { cwd })`): a worker thread cannot change the process's.
 */
export function workingFolder(): string {
  return chosen ?? process.cwd()
}

/** Called once, by the CLI's entry, before any command runs. */
export function chooseWorkingFolder(cwd: string): void {
  chosen = cwd
}
