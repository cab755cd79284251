// For writing docs: runs one page's blocks and prints each command's real output (with
// `--json <file>`, also writes them as JSON, to paste into the page).
//   TSDB_TEST_PG_URL=postgres://… node --import jiti/register test/integration/docs/print-doc-output.ts docs/commands.md
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { normalizeEnvironment, runDocPage } from './doc-blocks.js'

const repoRoot = resolve(import.meta.dirname, '../../..')
const page = resolve(process.argv[2] ?? 'README.md')
const jsonFile = process.argv[3] === '--json' ? process.argv[4] : undefined
const serverUrl = process.env.TSDB_TEST_PG_URL
const outputs: unknown[] = []
const problems = await runDocPage(page, {
  repoRoot,
  ...(serverUrl === undefined ? {} : { serverUrl: async () => ({ url: serverUrl, drop: async () => {} }) }),
  onOutput: (command, output, code, shown) => {
    console.log(`$ ${command}${code === 0 ? '' : `    [exit ${code}]`}\n${output}`)
    if (shown !== null) outputs.push({ command, output: normalizeEnvironment(output, shown.projectDir, shown.serverUrl), code, line: shown.line })
  },
})
for (const problem of problems) console.log(`PROBLEM line ${problem.line}: ${problem.message}`)
if (jsonFile !== undefined) writeFileSync(jsonFile, JSON.stringify(outputs, null, 2))
