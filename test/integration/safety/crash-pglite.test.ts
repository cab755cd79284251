import { describeCrashSafety } from './crash-suite.js'

// Each PGlite open costs a second or two of CPU, about five per kill point: a few points by
// default (TSDB_CRASH_KILL_POINTS explores more). The CLI opens the folder for 1-3 s before its
// first step, and a kill there must leave a folder that opens too.
describeCrashSafety({ mode: 'one transaction', backend: 'pglite', defaultKillPoints: 5, startupMs: 3000 })
