// `npm run build`: writes dist/pglite/cluster.tar.br and cluster.json, a fresh embedded database
// cluster (PGlite's own initdb, dumped with dumpDataDir and compressed with brotli) that tsdb
// restores into a new project's database instead of running initdb there (see
// src/connection/prepared-cluster.ts). initdb costs seconds of CPU and 900 MB of memory, so the
// dump is kept in .cache/pglite-cluster/, named by a hash of PGlite's own files, and made again
// only when PGlite changes.
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliCompress, constants } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = join(root, 'dist', 'pglite')
const cacheDir = join(root, '.cache', 'pglite-cluster')
// What makes the cluster: PGlite's wasm builds and its bundled share files (exported by PGlite).
const pgliteFiles = ['pglite.wasm', 'initdb.wasm', 'pglite.data']

const key = createHash('sha256')
for (const file of pgliteFiles) key.update(await readFile(fileURLToPath(import.meta.resolve(`@electric-sql/pglite/${file}`))))
const cached = join(cacheDir, `${key.digest('hex').slice(0, 32)}.tar.br`)

const dump = await readFile(cached).catch(() => null) ?? (await makeDump())
await mkdir(outDir, { recursive: true })
await copyFile(cached, join(outDir, 'cluster.tar.br'))
const manifest = { sha256: createHash('sha256').update(dump).digest('hex'), bytes: dump.length }
await writeFile(join(outDir, 'cluster.json'), `${JSON.stringify(manifest, null, 2)}\n`)

async function makeDump() {
  console.log('Preparing the embedded database cluster (PGlite initdb, once per PGlite version) ...')
  const { PGlite } = await import('@electric-sql/pglite')
  const pglite = new PGlite()
  // dumpDataDir before the instance is ready never settles.
  await pglite.waitReady
  const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer())
  await pglite.close()
  // Quality 9 with a 16 MB window: the three databases' catalogs are nearly the same, and the
  // window lets brotli see that (1.5 MB against 4.5 MB gzipped); 11 saves 0.2 MB more in 25 s.
  const compressed = await promisify(brotliCompress)(tar, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: tar.length },
  })
  await mkdir(cacheDir, { recursive: true })
  await writeFile(`${cached}.tmp`, compressed)
  await rename(`${cached}.tmp`, cached)
  return compressed
}
