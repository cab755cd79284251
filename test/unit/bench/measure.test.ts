import { describe, expect, it } from 'vitest'
import { pairedRatio, rotate, summarize, type Sample } from '../../../bench/lib/measure.js'
import { renderReport, type ReportInput, type Row } from '../../../bench/lib/report.js'

const samples = (...ms: number[]): Sample[] => ms.map((value) => ({ ms: value, cpuMs: value / 2, rssKb: 1024 }))

/** A report of these rows and counts, on a made-up machine. */
const render = (input: Partial<Pick<ReportInput, 'rows' | 'queryCounts'>>): string =>
  renderReport({
    rows: [],
    queryCounts: [],
    ...input,
    machine: 'test',
    versions: { node: '20', flaskMigrate: '4', alembic: '1', sqlalchemy: '2', python: '3', kyselyCtl: '?' },
    quick: false,
    runs: 3,
    bigRuns: 3,
    warmup: 0,
    minutes: 1,
  })

describe('bench measurements', () => {
  it('pairs the rounds: a drift that slows both tools of a round cancels out', () => {
    // Rounds 2 and 3 ran on a slower machine; in round 2 only the other tool's run was slow.
    const tsdb = summarize(samples(100, 300, 300))
    const other = summarize(samples(200, 220, 600))
    expect(pairedRatio(tsdb, other)).toBe(0.5)
    expect(tsdb.medianMs / other.medianMs).toBeCloseTo(300 / 220)
  })

  it('keeps the rounds in the order they ran, for pairing', () => {
    expect(summarize(samples(3, 1, 2)).rounds).toEqual([3, 1, 2])
    expect(summarize(samples(3, 1, 2)).minMs).toBe(1)
  })

  it('rotates the order of the tools so each goes first in turn', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c'])
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a'])
    expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b'])
    expect(rotate([], 3)).toEqual([])
  })

  it('judges a target on the paired ratio and says when the ratio of medians disagrees', () => {
    // Paired: 0.5, 0.5, 1.67 -> 0.5 (met). Medians: 500 / 700 = 0.71 (missed).
    const row: Row = {
      caseName: 'upgrade base->head',
      n: 2000,
      results: { tsdb: summarize(samples(500, 350, 1000)), flask: summarize(samples(1000, 700, 600)), kysely: summarize(samples(300, 200, 500)) },
      na: [],
    }
    const report = render({ rows: [row] })
    expect(report).toContain('| upgrade base->head @ 2000 | tsdb / Flask-Migrate ≤ 0.60 | 0.50 | 0.71 | met (ratio of medians: missed) | 0.50–1.67, 2 of 3 ≤ 0.60 | 0.50 |')
    expect(report).toContain('| upgrade base->head @ 2000 | tsdb / Kysely floor ≤ 1.35 | 1.75 | 1.67 | **missed** | 1.67–2.00, 0 of 3 ≤ 1.35 | 1.75 |')
  })

  it('shows a third decimal where two would round a ratio onto its target', () => {
    // Paired: 604/1000, 590/1000, 620/1000 -> 0.604, missed although "0.60" would read as met.
    const row: Row = {
      caseName: 'upgrade base->head',
      n: 2000,
      results: { tsdb: summarize(samples(604, 590, 620)), flask: summarize(samples(1000, 1000, 1000)) },
      na: [],
    }
    expect(render({ rows: [row] })).toContain('| upgrade base->head @ 2000 | tsdb / Flask-Migrate ≤ 0.60 | 0.604 | 0.604 | **missed** | 0.59–0.62, 1 of 3 ≤ 0.60 | 0.60 |')
  })

  it('shows one round as one value, not as a range', () => {
    const row: Row = {
      caseName: 'cold start (--help)',
      n: null,
      results: { tsdb: summarize(samples(25)), flask: summarize(samples(100)) },
      na: [],
    }
    expect(render({ rows: [row] })).toContain('| cold start | tsdb / Flask-Migrate ≤ 0.30 | 0.25 | 0.25 | met | 0.25, 1 of 1 ≤ 0.30 | 0.25 |')
  })

  it('sets the upgrade beside its floors, and says when the Kysely floor itself misses the target', () => {
    const row = (kysely: number[]): Row => ({
      caseName: 'upgrade base->head',
      n: 2000,
      results: {
        tsdb: summarize(samples(600, 660, 540)),
        flask: summarize(samples(1000, 1200, 900)),
        psql: summarize(samples(300, 360, 270)),
        'node-pg': summarize(samples(400, 480, 360)),
        kysely: summarize(samples(...kysely)),
      },
      na: [],
    })
    const below = render({ rows: [row([450, 540, 405])] })
    expect(below).toContain(
      'The floors of the upgrade @ 2000 (next section), as paired wall-time ratios to Flask-Migrate in this run: psql 0.30, node-postgres 0.40, Kysely 0.45.',
    )
    expect(below).toContain("tsdb takes 1.33 times the Kysely floor's CPU time and 1.33 times its wall time (paired).")
    expect(below).toContain('| upgrade base->head | 2000 | 0.300 | 0.400 | 0.450 | 0.600 | 1.000 | 0.30 | 0.40 | 0.45 | 0.60 | 1.33 |')
    const above = render({ rows: [row([650, 780, 585])] })
    expect(above).toContain(
      "tsdb takes 0.92 times the Kysely floor's CPU time and 0.92 times its wall time (paired); with that floor's CPU time at 0.65 of Flask-Migrate's, the 0.60 target is out of reach on this machine for any tool built on Kysely and node-postgres.",
    )
  })

  it('has no floors section when the floors did not run', () => {
    const row: Row = { caseName: 'upgrade base->head', n: 200, results: { tsdb: summarize(samples(1)), flask: summarize(samples(2)) }, na: [] }
    expect(render({ rows: [row] })).not.toContain('## Upgrade and downgrade against their floors')
  })

  it('shows the query counts of a Flask-Migrate migrate that failed as failed', () => {
    const report = render({
      queryCounts: [
        { n: 200, state: 'empty', tsdb: { reported: 2, catalog: 2, total: 11 }, flask: { catalog: 3, total: 4 } },
        { n: 200, state: 'matching', tsdb: { reported: 2, catalog: 2, total: 11 }, flask: null },
      ],
    })
    expect(report).toContain('| 200 | empty | 2 | 2 | 11 | 3 | 4 |')
    expect(report).toContain('| 200 | matching | 2 | 2 | 11 | failed | failed |')
  })
})
