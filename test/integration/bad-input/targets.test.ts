import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, execute, expectCleanError, runAgainst, tableRevision, writeFiles, type ExpectedError } from './catalogue.js'

/**
 * Malformed and unresolvable targets, on a database at aaaa1111 of the graph
 *   aaaa1111 <- aaaa2222
 *            <- cccc3333 (label "feature")
 * Every case leaves the database exactly as it was.
 */
const INVALID = { exit: 1, todo: /valid forms are head, heads, base/ } as const
const UNKNOWN = { exit: 1, todo: /Run `tsdb db history` to list the revisions/ } as const
const WHERE = { exit: 1, todo: /Run `tsdb db current` and `tsdb db history -i`/ } as const

const cases: readonly (readonly [readonly string[], ExpectedError])[] = [
  [['upgrade', '+'], { ...UNKNOWN, what: /Can't locate revision identified by '\+'/ }],
  [['upgrade', '-z'], { exit: 2, what: /Unknown argument: z/, todo: /Run `tsdb db --help`/ }],
  // -x is Flask-Migrate's --x-arg, which needs its key=value.
  [['upgrade', '-x'], { exit: 2, what: /Not enough arguments following: x/, todo: /Run `tsdb db --help`/ }],
  [['upgrade', '@head'], { ...INVALID, what: /Invalid revision target '@head': the branch before '@' is empty/ }],
  [['upgrade', 'a@'], { ...INVALID, what: /Invalid revision target 'a@': '' is not a revision, label or symbol/ }],
  [['upgrade', 'a@b@c'], { ...INVALID, what: /Invalid revision target 'a@b@c': it has more than one '@'/ }],
  [['upgrade', ''], { ...INVALID, what: /Invalid revision target '': it is empty/ }],
  [['upgrade', ' '], { ...INVALID, what: /Invalid revision target ' '/ }],
  [['upgrade', 'head+'], { ...UNKNOWN, what: /Can't locate revision identified by 'head\+'/ }],
  [['upgrade', 'head-'], { ...UNKNOWN, what: /Can't locate revision identified by 'head-'/ }],
  [['upgrade', '1.5'], { ...UNKNOWN, what: /Can't locate revision identified by '1\.5'; please ensure at least four characters/ }],
  [['upgrade', 'zzzz'], { ...UNKNOWN, what: /Can't locate revision identified by 'zzzz'/ }],
  [['upgrade', 'current'], { ...UNKNOWN, what: /Can't locate revision identified by 'current'/ }],
  [['upgrade', '+99999999999999999999'], { exit: 1, what: /the step count \+99999999999999999999 is too large/, todo: /valid forms|too large/ }],
  // Alembic's words (a downgrade quotes the count as typed); the way out is a step count, not the database's position.
  [['upgrade', '+0'], { exit: 1, what: /^Error: Relative revision 0 didn't produce 0 migrations\. A relative target moves at least one step/, todo: /use \+1 or -1/ }],
  [['upgrade', '-0'], { exit: 1, what: /^Error: Relative revision 0 didn't produce 0 migrations\. A relative target moves at least one step/, todo: /use \+1 or -1/ }],
  [['downgrade', '--', '-0'], { exit: 1, what: /^Error: Relative revision -0 didn't produce 0 migrations\. A relative target moves at least one step/, todo: /use \+1 or -1/ }],
  [['downgrade', '+0'], { exit: 1, what: /^Error: Relative revision \+0 didn't produce 0 migrations\. A relative target moves at least one step/, todo: /use \+1 or -1/ }],
  [['upgrade', 'x@head'], { ...UNKNOWN, what: /^Error: Can't locate revision identified by 'x': no branch label or revision is named 'x'\. Run/ }],
  [['upgrade', '--lock-timeout'], { exit: 2, what: /^Error: Not enough arguments following: lock-timeout$/, todo: /Run `tsdb db --help`/ }],
  [['stamp', 'aaaa2222', '--url', ''], { exit: 2, what: /^Error: --url is empty: give a database URL/, todo: /e\.g\. --url postgres:/ }],
  [['stamp', 'aaaa2222', '--url'], { exit: 2, what: /^Error: Not enough arguments following: url$/, todo: /Run `tsdb db --help`/ }],
  [['upgrade', 'aaaa2222+5'], { ...WHERE, what: /Walked too far: 'aaaa2222\+5'/ }],
  [['upgrade', 'base+99'], { ...WHERE, what: /Ambiguous walk: from aaaa1111/ }],
  [['upgrade', '+5'], { ...WHERE, what: /Ambiguous walk: from aaaa1111 the graph forks into aaaa2222, cccc3333/ }],
  [['downgrade', '+1'], { ...WHERE, what: /Relative revision \+1 didn't produce 1 migrations/ }],
  [['downgrade', '-2'], { ...WHERE, what: /Relative revision -2 didn't produce 2 migrations|Walked too far/ }],
  [['downgrade', 'aaaa2222'], { exit: 1, what: /aaaa2222 is not a valid downgrade target/, todo: /Run `tsdb db history`/ }],
  [['upgrade', 'head'], { exit: 1, what: /Multiple head revisions are present for given argument 'head'/, todo: /'heads' for all heads/ }],
  [['upgrade', 'aaaa'], { exit: 1, what: /Revision prefix 'aaaa' is ambiguous; it matches aaaa1111, aaaa2222/, todo: /Give more characters/ }],
  [['upgrade', 'nope@head'], { ...UNKNOWN, what: /Can't locate revision identified by 'nope'/ }],
  [['upgrade', 'feature@aaaa2222'], { ...UNKNOWN, what: /Revision aaaa2222 is not a member of branch 'feature'/ }],
  [['upgrade', '::'], { exit: 1, what: /Range revision not allowed: '::'/, todo: /only works with --sql/ }],
  [['upgrade', 'aaaa1111:head'], { exit: 1, what: /Range revision not allowed: 'aaaa1111:head'/, todo: /only works with --sql/ }],
  [['upgrade', '--sql', '::'], { ...INVALID, what: /Invalid revision target ':': a range \(start:end\) is not accepted here/ }],
  [['upgrade', '--sql', 'aaaa1111:zzzz'], { ...UNKNOWN, what: /Can't locate revision identified by 'zzzz'/ }],
  [['downgrade', '--sql', '-2'], { exit: 1, what: /downgrade with --sql requires <fromrev>:<torev>/, todo: /requires <fromrev>:<torev>/ }],
  [['downgrade', '--sql', 'base'], { exit: 1, what: /downgrade with --sql requires <fromrev>:<torev>/, todo: /requires <fromrev>:<torev>/ }],
  [['stamp', 'zzzz'], { ...UNKNOWN, what: /Can't locate revision identified by 'zzzz'/ }],
  [['stamp', 'heads:x'], { exit: 1, what: /Range revision not allowed: 'heads:x'/, todo: /only works with --sql/ }],
  [['show', 'zzzz'], { ...UNKNOWN, what: /Can't locate revision identified by 'zzzz'/ }],
  [['history', '-r', 'aaaa1111'], { exit: 2, what: /History range requires \[start\]:\[end\], \[start\]:, or :\[end\]/, todo: /\[start\]:\[end\]/ }],
  [['history', '-r', 'a:b:c'], { exit: 2, what: /Revision range 'a:b:c' has more than one ':'/, todo: /write \[start\]:\[end\]/ }],
  [['history', '-r', 'zzzz:'], { ...UNKNOWN, what: /Can't locate revision identified by 'zzzz'/ }],
]

describeEachDatabase(
  'bad input: targets',
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
      await ctx.closeAll()
      const setup = await runTsdb(['db', 'upgrade', 'aaaa1111'], { cwd: project, env: { DATABASE_URL: ctx.url } })
      expect(setup.code, setup.stderr).toBe(0)
    })

    for (const [args, expected] of cases) {
      it(`tsdb db ${args.map((arg) => JSON.stringify(arg)).join(' ')}`, async () => {
        const result = await runAgainst(ctx, project, ['db', ...args])
        expectCleanError(result, expected)
      })
    }

    it('TSDB_CONNECT_TIMEOUT that is not a number is refused before connecting', async () => {
      const result = await runAgainst(ctx, project, ['db', 'stamp', 'aaaa2222'], { TSDB_CONNECT_TIMEOUT: 'abc' })
      expectCleanError(result, {
        exit: 1,
        what: /^Error: TSDB_CONNECT_TIMEOUT must be a number of milliseconds \(0 or more\), e\.g\. TSDB_CONNECT_TIMEOUT=30000; it is 'abc'$/,
        todo: /e\.g\. TSDB_CONNECT_TIMEOUT=30000/,
      })
    })

    it('an unknown or ambiguous target on a database without a version table leaves it without one', async () => {
      await execute(ctx, 'drop table alembic_version; drop schema if exists tsdb_meta cascade; drop table a')
      try {
        for (const args of [['upgrade', 'zzzz'], ['upgrade', 'head'], ['stamp', 'zzzz']]) {
          const result = await runAgainst(ctx, project, ['db', ...args])
          expect(result.code).toBe(1)
        }
      } finally {
        await ctx.closeAll()
        await runTsdb(['db', 'upgrade', 'aaaa1111'], { cwd: project, env: { DATABASE_URL: ctx.url } })
      }
    })
  },
  ['postgres'],
)
