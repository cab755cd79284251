import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, tableRevision, writeFiles } from '../bad-input/catalogue.js'

async function versionRows(ctx: DatabaseContext): Promise<string[]> {
  try {
    const rows = await sql<{ version_num: string }>`select version_num from alembic_version order by 1`.execute(ctx.kysely())
    return rows.rows.map((r) => r.version_num)
  } finally {
    await ctx.closeAll()
  }
}

/**
 * `merge` with one revision or none, as Alembic: one revision gives an ordinary child of it,
 * none a new base (with a warning, as it is rarely what was meant). Both exit 0, and the
 * written files are revisions the graph and `upgrade` accept.
 */
describeEachDatabase(
  'merge of one revision or none',
  (ctx) => {
    let project: string
    const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })
    const versions = () => join(project, 'migrations', 'versions')

    beforeAll(async () => {
      project = await createInitializedProject()
      await writeFiles(project, {
        'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a'),
        'migrations/versions/aaaa2222_b.ts': tableRevision('aaaa2222', 'aaaa1111', 'b'),
      })
    })

    it('merge <one head> writes a child of it', async () => {
      const result = await tsdb('merge', 'aaaa2222', '-m', 'child', '--rev-id', 'eeee0001')
      expect(result).toEqual({ code: 0, stdout: `Generating ${join(versions(), 'eeee0001_child.ts')} ...  done\n`, stderr: '' })
      expect(await readFile(join(versions(), 'eeee0001_child.ts'), 'utf8')).toContain("export const downRevision = 'aaaa2222'\n")
      expect((await tsdb('heads')).stdout).toBe('eeee0001 (head)\n')
      expect((await tsdb('upgrade')).code).toBe(0)
      expect(await versionRows(ctx)).toEqual(['eeee0001'])
    })

    it('merge with no revision writes a new base, with a warning', async () => {
      const result = await tsdb('merge', '-m', 'root', '--rev-id', 'ffff0001')
      expect(result).toEqual({
        code: 0,
        stdout: `Generating ${join(versions(), 'ffff0001_root.ts')} ...  done\n`,
        stderr:
          'Warning: Nothing to merge: no revision was given, so ffff0001 is a new base revision, not a merge point; ' +
          '`tsdb db merge heads` merges the current heads\n',
      })
      expect(await readFile(join(versions(), 'ffff0001_root.ts'), 'utf8')).toContain('export const downRevision = null\n')
      expect((await tsdb('heads')).stdout).toBe('eeee0001 (head)\nffff0001 (head)\n')
      expect((await tsdb('upgrade', 'heads')).code).toBe(0)
      expect(await versionRows(ctx)).toEqual(['eeee0001', 'ffff0001'])
    })
  },
  ['postgres'],
)
