import type { RevisionInfo } from '../index.js'

/**
 * `history --graph`: an ASCII drawing of branches and merges, newest first, one lane per
 * line of descent (in the manner of `git log --graph`). `revisions` must list children
 * before their parents, as `history` does.
 */
export function drawGraph(revisions: readonly RevisionInfo[], label: (info: RevisionInfo) => string): string[] {
  const lanes: (string | null)[] = []
  const out: string[] = []
  const render = (cells: readonly string[]) => cells.join('').trimEnd()
  const laneCells = (mark: (index: number) => string) =>
    lanes.flatMap((lane, index) => [index === 0 ? '' : ' ', mark(index) || (lane === null ? ' ' : '|')])

  for (const info of revisions) {
    const waiting = lanes.flatMap((lane, index) => (lane === info.id ? [index] : []))
    let column = waiting[0]
    if (column === undefined) {
      column = freeLane(lanes)
      lanes[column] = info.id
    }
    const nodeColumn = column
    // A branch point: the lanes of its other children join this one before the node.
    const closing = waiting.slice(1)
    if (closing.length > 0) {
      for (const index of closing) lanes[index] = null
      out.push(render(joinCells(lanes, closing, '/')))
    }
    out.push(`${render(laneCells((index) => (index === nodeColumn ? '*' : '')))}  ${label(info)}`)

    const [first = null, ...others] = info.downRevisions
    lanes[nodeColumn] = first
    const opened: number[] = []
    for (const parent of others) {
      if (lanes.includes(parent)) continue
      const index = freeLane(lanes, nodeColumn + 1)
      lanes[index] = parent
      opened.push(index)
    }
    if (opened.length > 0) out.push(render(joinCells(lanes, opened, '\\')))
    while (lanes.length > 0 && lanes[lanes.length - 1] === null) lanes.pop()
  }
  return out
}

function freeLane(lanes: (string | null)[], from = 0): number {
  for (let index = from; index < lanes.length; index++) if (lanes[index] === null) return index
  lanes.push(null)
  return lanes.length - 1
}

/** A connecting line: `|` for lanes that go on, `slash` just left of each lane that ends or starts. */
function joinCells(lanes: readonly (string | null)[], moving: readonly number[], slash: string): string[] {
  const cells: string[] = []
  const width = Math.max(lanes.length, ...moving.map((index) => index + 1))
  for (let index = 0; index < width; index++) {
    if (index > 0) cells.push(moving.includes(index) ? slash : ' ')
    cells.push(moving.includes(index) || lanes[index] === null || lanes[index] === undefined ? ' ' : '|')
  }
  return cells
}
