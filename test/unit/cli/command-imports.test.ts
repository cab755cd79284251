import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const COMMANDS_DIR = fileURLToPath(new URL('../../../src/cli/commands', import.meta.url))

/** The modules a file loads when it is loaded: its imports that are not `import type`. */
function runtimeImports(source: string): string[] {
  return [...source.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1] ?? '')
}

describe('command definitions', () => {
  // main.ts loads every definition on every start, `--help` included; what a command runs is
  // imported by its handler, so no definition may load more than the option helpers.
  it('load nothing but the definition helpers', () => {
    const files = readdirSync(COMMANDS_DIR).filter((name) => name.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const imports = runtimeImports(readFileSync(join(COMMANDS_DIR, file), 'utf8'))
      expect({ file, imports: imports.filter((path) => !['../define-command.js', './shared-options.js', './revision.js'].includes(path)) }).toEqual({
        file,
        imports: [],
      })
    }
  })
})
