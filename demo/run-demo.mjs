// `npm run demo`: the Flask Mega-Tutorial's chapter 4, in TypeScript, with the real tsdb CLI.
// Runs on the embedded database unless DATABASE_URL is set. Each command is printed as a reader
// of the tutorial would type it, followed by what it printed (stderr and stdout in the order
// they were written).
//
//   node demo/run-demo.mjs [project folder]     (default: demo/.work, recreated on every run)
import { spawnSync } from 'node:child_process'
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'

const demoDir = dirname(fileURLToPath(import.meta.url))
const repoRoot = dirname(demoDir)
const work = resolve(process.argv[2] ?? join(demoDir, '.work'))
const bin = join(repoRoot, 'bin', 'tsdb.js')
const onServer = (process.env.DATABASE_URL ?? '').trim() !== ''

rmSync(work, { recursive: true, force: true })
mkdirSync(join(work, 'src'), { recursive: true })
// The project a user would have: an ESM app with tsdb and kysely installed (linked to this checkout).
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'microblog', private: true, type: 'module' }, null, 2))
mkdirSync(join(work, 'node_modules'))
symlinkSync(repoRoot, join(work, 'node_modules', 'tsdb-migrate'), 'dir')
symlinkSync(join(repoRoot, 'node_modules', 'kysely'), join(work, 'node_modules', 'kysely'), 'dir')

const jiti = createJiti(import.meta.url, { interopDefault: true })
copyFileSync(join(demoDir, 'app.ts'), join(work, 'src', 'app.ts'))

console.log(`# tsdb demo: the Flask Mega-Tutorial, chapter 4, on ${onServer ? 'the PostgreSQL server in DATABASE_URL' : 'the embedded database (no server needed)'}`)
console.log(`# project folder: ${work}\n`)

if (onServer) {
  // The walk-through starts from an empty database; never touch tables someone else owns.
  const { tsdbTablesIn } = await jiti.import(join(demoDir, 'database-check.ts'))
  const found = await tsdbTablesIn(work)
  if (found.length > 0) {
    console.error(`demo: the database in DATABASE_URL already has ${found.join(', ')}; run the demo on an empty database`)
    process.exit(1)
  }
}

/** The argument as a shell would need it typed: `-m "users table"`. */
const shellWord = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replaceAll(/(["\\$`])/g, '\\$1')}"`)

const outputDir = mkdtempSync(join(tmpdir(), 'tsdb-demo-'))
function tsdb(...args) {
  console.log(`$ npx tsdb ${args.map(shellWord).join(' ')}`)
  // One file for stdout and stderr keeps the order in which the command wrote its lines.
  const outputFile = join(outputDir, 'output.txt')
  const fd = openSync(outputFile, 'w')
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NO_COLOR: '1' },
  })
  closeSync(fd)
  const text = readFileSync(outputFile, 'utf8').replaceAll(work + '/', '')
  if (text.trim() !== '') console.log(text.trimEnd())
  console.log('')
  if (result.status !== 0) {
    console.error(`demo: \`tsdb ${args.join(' ')}\` exited with ${result.status ?? result.signal}`)
    process.exit(1)
  }
}
function edit(file, what) {
  console.log(`$ $EDITOR src/schema.ts    # ${what}`)
  copyFileSync(join(demoDir, file), join(work, 'src', 'schema.ts'))
  console.log('')
}

tsdb('db', 'init')
edit('schema-1-users.ts', 'declare `user` (id, username, email, password_hash)')
tsdb('db', 'migrate', '-m', 'users table')
tsdb('db', 'upgrade')
edit('schema.ts', 'add `post` (id, body, timestamp, user_id -> user.id)')
tsdb('db', 'migrate', '-m', 'posts table')
tsdb('db', 'upgrade')

const app = await jiti.import(join(work, 'src', 'app.ts'))
console.log('# the app (src/app.ts) inserts john, susan and a post, and queries them with Kysely typed from the schema\n')
await app.playWithTheDatabase(work, (line) => console.log(line))

tsdb('db', 'downgrade', 'base')
tsdb('db', 'upgrade')
const counts = await app.countRows(work)
console.log(`# the tables are back, and empty: ${counts.users} users, ${counts.posts} posts\n`)
tsdb('db', 'history')
tsdb('db', 'current')
if (onServer) {
  console.log('# leaving the server database empty again, as the demo found it\n')
  tsdb('db', 'downgrade', 'base')
}
rmSync(outputDir, { recursive: true, force: true })
console.log('# demo finished')
