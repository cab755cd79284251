import { describe, expect, it } from 'vitest'
import { VersionTableError } from '../../../src/errors.js'
import { createMemoryVersionStore } from '../../../src/version/memory-version-store.js'

describe('createMemoryVersionStore', () => {
  it('applies inserts, updates and deletes and reads heads sorted', async () => {
    const store = createMemoryVersionStore()
    expect(store.hasTable).toBe(false)
    await store.ensureTable()
    await store.apply([{ kind: 'insert', id: 'b' }, { kind: 'insert', id: 'a' }])
    expect(await store.readHeads()).toEqual(['a', 'b'])
    await store.apply([{ kind: 'update', from: 'b', to: 'c' }, { kind: 'delete', id: 'a' }])
    expect(await store.readHeads()).toEqual(['c'])
  })

  it('fails as Alembic does when an update or delete matches no row', async () => {
    const store = createMemoryVersionStore(['a'])
    await expect(store.apply([{ kind: 'update', from: 'x', to: 'y' }])).rejects.toThrow(
      new VersionTableError(
        "Online migration expected to match one row when updating 'x' to 'y' in 'alembic_version'; 0 found",
      ),
    )
    await expect(store.apply([{ kind: 'delete', id: 'x' }])).rejects.toThrow(/deleting 'x' .* 0 found/)
    expect(await store.readHeads()).toEqual(['a'])
  })
})
