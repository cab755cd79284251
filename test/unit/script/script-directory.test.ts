import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../../src/config/resolve-config.js'
import type { ResolvedConfig } from '../../../src/config/config.js'
import { CommandError, ScriptError } from '../../../src/errors.js'
import { createRevision } from '../../../src/revision/revision.js'
import { loadRevisionModule, readScriptDirectory } from '../../../src/script/script-directory.js'

let dir: string
let config: ResolvedConfig
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-scripts-'))
  config = resolveConfig({}, { cwd: dir, env: {}, configPath: null })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const header = (id: string, down: string | null, extra = '') => `/**
 * rev ${id}
 */
import { sql, type Kysely } from 'kysely'

export const revision = '${id}'
export const downRevision = ${down === null ? 'null' : `'${down}'`}
${extra}
export async function up(db: Kysely<any>): Promise<void> {
  await sql\`select 1\`.execute(db)
}
`

async function write(path: string, text: string): Promise<string> {
  const full = join(dir, 'migrations/versions', path)
  await mkdir(join(full, '..'), { recursive: true })
  await writeFile(full, text)
  return full
}

describe('readScriptDirectory', () => {
  it('reads every revision file below versions/, sorted by path, skipping declarations and hidden files', async () => {
    const a = await write('aaaa_first.ts', header('aaaa', null))
    const b = await write('shop/bbbb_second.mts', header('bbbb', 'aaaa'))
    const c = await write('cccc.js', header('cccc', 'bbbb'))
    await write('types.d.ts', 'export {}')
    await write('.backup/dddd_old.ts', header('dddd', null))
    await write('shop/.eeee_hidden.ts', header('eeee', null))
    await write('shop/node_modules/ffff_dep.ts', header('ffff', null))
    await write('shop/deeper/.cache/gggg.ts', header('gggg', null))
    await write('notes.md', '# not a revision')
    const scripts = await readScriptDirectory(config)
    expect(scripts.migrationsDir).toBe(join(dir, 'migrations'))
    expect(scripts.versionsDir).toBe(join(dir, 'migrations/versions'))
    expect(scripts.revisions.map((r) => [r.id, r.path, r.message])).toEqual([
      ['aaaa', a, 'rev aaaa'],
      ['cccc', c, 'rev cccc'],
      ['bbbb', b, 'rev bbbb'],
    ])
  })

  it('an empty migrations folder (no versions/ yet) has no revisions', async () => {
    await mkdir(join(dir, 'migrations'))
    expect((await readScriptDirectory(config)).revisions).toEqual([])
  })

  it('a missing migrations folder says to run init', async () => {
    const error = await readScriptDirectory(config).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CommandError)
    expect((error as Error).message).toBe(`No migrations folder at ${join(dir, 'migrations')}; run \`tsdb db init\` to create it`)
  })

  it('a file not named after its revision is a ScriptError naming it', async () => {
    const path = await write('first.ts', header('aaaa', null))
    const error = await readScriptDirectory(config).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ScriptError)
    expect((error as Error).message).toBe(
      `${path}: the file name must start with its revision id 'aaaa' followed by _ or . (e.g. aaaa_first.ts)`,
    )
    await rm(path)
    await write('aaaab_x.ts', header('aaaa', null))
    await expect(readScriptDirectory(config)).rejects.toThrow(/must start with its revision id 'aaaa'/)
  })

  it('a malformed header fails the read with the file named', async () => {
    const path = await write('eeee_bad.ts', "export const revision = 'eeee'\n")
    await expect(readScriptDirectory(config)).rejects.toThrow(`${path}: downRevision must be`)
  })

  it('reads 2000 files in well under the time a person waits', async () => {
    await Promise.all(Array.from({ length: 2000 }, (_, i) => write(`r${i}_m.ts`, header(`r${i}`, i === 0 ? null : `r${i - 1}`))))
    const start = performance.now()
    const scripts = await readScriptDirectory(config)
    expect(scripts.revisions).toHaveLength(2000)
    // Generous for a loaded CI machine; a quadratic scan or serial reads would blow far past it.
    expect(performance.now() - start).toBeLessThan(15_000)
  })
})

describe('loadRevisionModule', () => {
  it("imports a TypeScript revision whose `import ... from 'kysely'` lies outside any node_modules", async () => {
    const path = await write('aaaa_first.ts', `${header('aaaa', null)}
export async function down(db: Kysely<any>): Promise<void> {}
`)
    const module = await loadRevisionModule(createRevision({ id: 'aaaa', path }))
    expect(typeof module.up).toBe('function')
    expect(typeof module.down).toBe('function')
  })

  it('a revision without down has only up', async () => {
    const path = await write('bbbb_x.ts', header('bbbb', null))
    const module = await loadRevisionModule(createRevision({ id: 'bbbb', path }))
    expect(module.down).toBeUndefined()
  })

  it('a syntax error is a ScriptError naming the file', async () => {
    const path = await write('cccc_x.ts', "export const revision = 'cccc'\nexport async function up( {\n")
    const error = await loadRevisionModule(createRevision({ id: 'cccc', path })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ScriptError)
    expect((error as ScriptError).path).toBe(path)
    expect((error as Error).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the revision file failed to load: `))
  })

  it('a file without up is a ScriptError', async () => {
    const path = await write('dddd_x.ts', "export const revision = 'dddd'\nexport const downRevision = null\n")
    await expect(loadRevisionModule(createRevision({ id: 'dddd', path }))).rejects.toThrow(
      `${path}: a revision must export \`async function up(db: Kysely<any>)\``,
    )
  })

  it('a down that is not a function is a ScriptError', async () => {
    const path = await write('ffff_x.ts', "export async function up() {}\nexport const down = 'no'\n")
    await expect(loadRevisionModule(createRevision({ id: 'ffff', path }))).rejects.toThrow(`${path}: \`down\` must be a function like up`)
  })
})
