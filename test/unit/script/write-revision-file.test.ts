import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ResolvedConfig } from '../../../src/config/config.js'
import { resolveConfig } from '../../../src/config/resolve-config.js'
import { CommandError } from '../../../src/errors.js'
import { parseRevisionFile } from '../../../src/script/parse-revision-file.js'
import type { RevisionFileInput } from '../../../src/script/render-revision-file.js'
import { parseCommandLine, writeRevisionFile } from '../../../src/script/write-revision-file.js'

let dir: string
let config: ResolvedConfig
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-write-'))
  config = resolveConfig({}, { cwd: dir, env: {}, configPath: null })
  await mkdir(config.versionsDir, { recursive: true })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const input: RevisionFileInput = {
  id: 'abc123def456',
  message: 'Users table',
  downRevisions: [],
  branchLabels: [],
  dependsOn: [],
  createDate: new Date(2026, 10, 21, 18, 24, 31, 81),
}

describe('writeRevisionFile', () => {
  it('writes <versions>/<rev>_<slug>.ts from the generic template, and it reads back', async () => {
    const path = await writeRevisionFile(config, input)
    expect(path).toBe(join(config.versionsDir, 'abc123def456_users_table.ts'))
    const text = await readFile(path, 'utf8')
    expect(text.startsWith('/**\n * Users table\n *\n * Revision ID: abc123def456\n')).toBe(true)
    expect(parseRevisionFile(text, path)).toMatchObject({ id: 'abc123def456', downRevisions: [], message: 'Users table' })
  })

  it("prefers the migrations folder's own script.ts.tmpl", async () => {
    await writeFile(join(config.migrationsDir, 'script.ts.tmpl'), "// custom {{revision}}\nexport const revision = {{revisionLiteral}}\nexport const downRevision = {{downRevision}}\n")
    const text = await readFile(await writeRevisionFile(config, input), 'utf8')
    expect(text).toBe("// custom abc123def456\nexport const revision = 'abc123def456'\nexport const downRevision = null\n")
  })

  it('an empty message gives `<rev>_.ts`, as Alembic names it', async () => {
    expect(await writeRevisionFile(config, { ...input, message: '' })).toBe(join(config.versionsDir, 'abc123def456_.ts'))
  })

  it('refuses to overwrite', async () => {
    await writeRevisionFile(config, input)
    const error = await writeRevisionFile(config, input).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CommandError)
    expect((error as Error).message).toBe(`${join(config.versionsDir, 'abc123def456_users_table.ts')} already exists; choose another --rev-id or message`)
  })

  it('--version-path creates a folder inside versions/ and refuses one outside it', async () => {
    const path = await writeRevisionFile(config, { ...input, versionPath: 'migrations/versions/shop' })
    expect(path).toBe(join(config.versionsDir, 'shop/abc123def456_users_table.ts'))
    await expect(writeRevisionFile(config, { ...input, versionPath: 'elsewhere' })).rejects.toThrow(
      `--version-path elsewhere is outside the versions folder ${config.versionsDir}; revisions there would not be found`,
    )
  })

  it('runs postWrite commands without a shell, with {file} replaced', async () => {
    const script = join(dir, 'hook.mjs')
    await writeFile(script, "import { appendFileSync } from 'node:fs'\nappendFileSync(process.argv[2], '// formatted by ' + process.argv[3] + '\\n')\n")
    const withHook = { ...config, postWrite: [`"${process.execPath}" ${script} {file} 'a b;$(touch pwned)'`] }
    const path = await writeRevisionFile(withHook, input)
    expect(await readFile(path, 'utf8')).toMatch(/\/\/ formatted by a b;\$\(touch pwned\)\n$/)
    await expect(readFile(join(dir, 'pwned'))).rejects.toThrow()
  })

  it('a failing postWrite command is a CommandError that says the file was written', async () => {
    const failing = { ...config, postWrite: [`"${process.execPath}" -e "console.error('bad format'); process.exit(3)"`] }
    await expect(writeRevisionFile(failing, input)).rejects.toThrow(
      new RegExp(`failed: exit code 3: bad format \\(the revision file was written: .*abc123def456_users_table\\.ts\\)$`),
    )
    const missing = { ...config, postWrite: ['tsdb-no-such-program-xyz {file}'] }
    await expect(writeRevisionFile(missing, { ...input, id: 'fff' })).rejects.toThrow(/postWrite command `tsdb-no-such-program-xyz \{file\}` failed: .*ENOENT/)
  })
})

describe('parseCommandLine', () => {
  it.each([
    ['npx prettier --write {file}', ['npx', 'prettier', '--write', '{file}']],
    [`a "b c" 'd e' f\\ g`, ['a', 'b c', 'd e', 'f g']],
    [`echo "say \\"hi\\"" ''`, ['echo', 'say "hi"', '']],
    ['  spaced   out  ', ['spaced', 'out']],
  ])('%s', (command, words) => {
    expect(parseCommandLine(command)).toEqual(words)
  })

  it('an unclosed quote is an error', () => {
    expect(() => parseCommandLine('a "b')).toThrow(CommandError)
  })
})
