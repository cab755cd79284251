import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createInitializedProject, expectCleanError, runAgainst, tableRevision, writeFiles, type ExpectedError } from './catalogue.js'

/**
 * Commands that write files given arguments they cannot use: nothing is written, and the
 * database (which DATABASE_URL names) is not touched.
 */
const cases: readonly (readonly [string, readonly string[], ExpectedError])[] = [
  ['init on a non-empty folder', ['init'], { exit: 1, what: /Directory migrations already exists and is not empty/, todo: /choose another one \(-d <folder>\) or move the existing one away/ }],
  ['merge of a revision that is not a head', ['merge', 'aaaa1111', 'aaaa2222'], { exit: 1, what: /Revision aaaa1111 is not a head revision/, todo: /specify --splice/ }],
  ['merge of an unknown revision', ['merge', 'aaaa2222', 'zzzz'], { exit: 1, what: /Can't locate revision identified by 'zzzz'/, todo: /Run `tsdb db history`/ }],
  ['revision --rev-id with bad characters', ['revision', '-m', 'x', '--head', 'aaaa2222', '--rev-id', 'add-users!'], { exit: 2, what: /Revision id 'add-users!' is not valid/, todo: /use letters, digits and underscores only/ }],
  ['revision --rev-id empty', ['revision', '-m', 'x', '--head', 'aaaa2222', '--rev-id', ''], { exit: 2, what: /Revision id '' is not valid/, todo: /use letters, digits and underscores only/ }],
  ['revision --rev-id of an existing revision', ['revision', '-m', 'x', '--rev-id', 'aaaa1111', '--head', 'aaaa2222'], { exit: 1, what: /Revision aaaa1111 is already present in .*aaaa1111_a\.ts/, todo: /choose another --rev-id/ }],
  ['revision --branch-label already used', ['revision', '-m', 'x', '--branch-label', 'feature', '--head', 'aaaa2222'], { exit: 1, what: /Branch name 'feature' is already used by revision cccc3333/, todo: /choose another --branch-label/ }],
  ['revision --branch-label with @', ['revision', '-m', 'x', '--branch-label', 'a@b', '--head', 'aaaa2222'], { exit: 2, what: /Branch label 'a@b' is not valid/, todo: /choose another --branch-label/ }],
  ['revision --branch-label with a space', ['revision', '-m', 'x', '--branch-label', 'my feature', '--head', 'aaaa2222'], { exit: 2, what: /Branch label 'my feature' is not valid/, todo: /may not be empty or contain '@', ':' or spaces/ }],
  // Issue 19 item 8: an id the version column (VARCHAR(32)) cannot hold, and labels that name targets.
  ['revision --rev-id longer than the version column', ['revision', '-m', 'x', '--head', 'aaaa2222', '--rev-id', 'r'.repeat(33)], { exit: 1, what: new RegExp(`^Error: Revision id '${'r'.repeat(32)}…' is 33 characters long`), todo: /holds at most 32; choose a shorter --rev-id$/ }],
  ['merge --rev-id longer than the version column', ['merge', 'aaaa2222', 'cccc3333', '--rev-id', `merge_${'0'.repeat(40)}`], { exit: 1, what: /Revision id 'merge_0+…' is 46 characters long/, todo: /choose a shorter --rev-id/ }],
  ['migrate --rev-id longer than the version column', ['migrate', '-m', 'x', '--head', 'aaaa2222', '--rev-id', 'm'.repeat(64)], { exit: 1, what: /Revision id 'm{32}…' is 64 characters long/, todo: /choose a shorter --rev-id/ }],
  ['revision --branch-label head', ['revision', '-m', 'x', '--branch-label', 'head', '--head', 'aaaa2222'], { exit: 1, what: /^Error: Branch label 'head' is reserved/, todo: /'head', 'heads' and 'base' already name targets, .*; choose another --branch-label$/ }],
  ['revision --branch-label heads', ['revision', '-m', 'x', '--branch-label', 'heads', '--head', 'aaaa2222'], { exit: 1, what: /^Error: Branch label 'heads' is reserved/, todo: /choose another --branch-label/ }],
  ['revision --branch-label base', ['revision', '-m', 'x', '--branch-label', 'ok', '--branch-label', 'base', '--head', 'aaaa2222'], { exit: 1, what: /^Error: Branch label 'base' is reserved/, todo: /choose another --branch-label/ }],
  ['merge --branch-label heads', ['merge', 'aaaa2222', 'cccc3333', '--branch-label', 'heads'], { exit: 1, what: /^Error: Branch label 'heads' is reserved/, todo: /choose another --branch-label/ }],
  ['revision on several heads', ['revision', '-m', 'x'], { exit: 1, what: /Multiple heads are present/, todo: /please specify the head revision .* or perform a merge/ }],
  ['revision --head of a revision that is not a head', ['revision', '-m', 'x', '--head', 'aaaa1111'], { exit: 1, what: /Revision aaaa1111 is not a head revision/, todo: /specify --splice/ }],
  ['revision --head unknown', ['revision', '-m', 'x', '--head', 'zzzz'], { exit: 1, what: /Can't locate revision identified by 'zzzz'/, todo: /Run `tsdb db history`/ }],
  ['revision --depends-on unknown', ['revision', '-m', 'x', '--head', 'aaaa2222', '--depends-on', 'zzzz'], { exit: 1, what: /Can't locate revision identified by 'zzzz'/, todo: /Run `tsdb db history`/ }],
  ['revision --version-path outside the versions folder', ['revision', '-m', 'x', '--head', 'aaaa2222', '--version-path', '/tmp'], { exit: 1, what: /--version-path \/tmp is outside the versions folder/, todo: /would not be found/ }],
  ['migrate --sql (Alembic refuses it; Flask-Migrate exits 1)', ['migrate', '--sql'], { exit: 1, what: /^Error: Using --sql with --autogenerate does not make any sense/, todo: /use `tsdb db upgrade --sql`/ }],
  ['revision --autogenerate --sql', ['revision', '--autogenerate', '--sql', '--head', 'aaaa2222'], { exit: 1, what: /^Error: Using --sql with --autogenerate does not make any sense/, todo: /use `tsdb db upgrade --sql`/ }],
  ['revision --sql', ['revision', '--sql', '-m', 'x', '--head', 'aaaa2222'], { exit: 1, what: /^Error: Using --sql with the revision command does not make any sense/, todo: /use `tsdb db upgrade --sql`/ }],
  ['edit without an editor', ['edit', 'aaaa2222'], { exit: 1, what: /No editor set/, todo: /set \$EDITOR/ }],
]

describeEachDatabase(
  'bad input: commands that write files',
  (ctx) => {
    let project: string
    beforeAll(async () => {
      project = await createInitializedProject()
      await writeFiles(project, {
        'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a'),
        'migrations/versions/aaaa2222_b.ts': tableRevision('aaaa2222', 'aaaa1111', 'b'),
        'migrations/versions/cccc3333_c.ts': tableRevision('cccc3333', 'aaaa1111', 'c').replace(
          "export const downRevision = 'aaaa1111'",
          "export const downRevision = 'aaaa1111'\nexport const branchLabels = 'feature'",
        ),
      })
    })

    for (const [name, args, expected] of cases) {
      it(name, async () => {
        const before = await readdir(join(project, 'migrations', 'versions'))
        const result = await runAgainst(ctx, project, ['db', ...args], { EDITOR: undefined, VISUAL: undefined })
        expectCleanError(result, expected)
        expect(await readdir(join(project, 'migrations', 'versions'))).toEqual(before)
        expect((await readdir(project)).sort()).toEqual(['migrations', 'node_modules', 'package.json'])
      })
    }

    it('--help offers --sql only where it can work', async () => {
      for (const command of ['migrate', 'revision']) {
        const help = await runAgainst(ctx, project, ['db', command, '--help'])
        expect(help.code).toBe(0)
        expect(help.stdout).toContain('--message')
        expect(help.stdout).not.toContain('--sql')
      }
      for (const command of ['upgrade', 'downgrade', 'stamp']) {
        expect((await runAgainst(ctx, project, ['db', command, '--help'])).stdout).toContain('--sql')
      }
    })
  },
  ['postgres'],
)
