import { describe, expect, it } from 'vitest'
import { drawGraph } from '../../../src/cli/draw-graph.js'
import type { RevisionInfo } from '../../../src/index.js'

/** A revision as `history` lists it; only the id and the parents matter to the drawing. */
const revision = (id: string, downRevisions: readonly string[]): RevisionInfo => ({
  id,
  message: '',
  doc: '',
  path: '',
  downRevisions,
  branchLabels: [],
  dependsOn: [],
  children: [],
  isHead: false,
  isEffectiveHead: false,
  isBase: downRevisions.length === 0,
  isBranchPoint: false,
  isMergePoint: downRevisions.length > 1,
  isCurrent: false,
})

const draw = (revisions: readonly RevisionInfo[]) => drawGraph(revisions, (info) => info.id)

describe('drawGraph (history --graph)', () => {
  it('draws a straight line of revisions as one lane', () => {
    expect(draw([revision('c', ['b']), revision('b', ['a']), revision('a', [])])).toEqual(['*  c', '*  b', '*  a'])
  })

  it('opens a lane at a merge and closes it at the branch point, siblings in the order given', () => {
    const revisions = [revision('m', ['a', 'b']), revision('a', ['r']), revision('b', ['r']), revision('r', [])]
    expect(draw(revisions)).toEqual(['*  m', '|\\', '* |  a', '| *  b', '|/', '*  r'])
  })

  it('gives each parent of a three-way merge its own lane', () => {
    const revisions = [revision('m', ['a', 'b', 'c']), revision('a', ['r']), revision('b', ['r']), revision('c', ['r']), revision('r', [])]
    expect(draw(revisions)).toEqual(['*  m', '|\\ \\', '* | |  a', '| * |  b', '| | *  c', '|/ /', '*  r'])
  })
})
