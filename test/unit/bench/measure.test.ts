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
    // Paired: 0.4, 0.4, 1.5 -> 0.4 (met). Medians: 400 / 700 = 0.57 (missed).
    const row: Row = {
      caseName: 'upgrade base->head',
      n: 2000,
      results: { tsdb: summarize(samples(400, 280, 900)), flask: summarize(samples(1000, 700, 600)), psql: summarize(samples(300, 200, 500)) },
      na: [],
    }
    const report = render({ rows: [row] })
    expect(report).toContain('| upgrade base->head @ 2000 | tsdb / Flask-Migrate ≤ 0.50 | 0.40 | 0.57 | met (ratio of medians: missed) | 0.57 |')
    expect(report).toContain('| upgrade base->head @ 2000 | tsdb / psql floor ≤ 2.00 | 1.40 | 1.33 | met |  |')
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
