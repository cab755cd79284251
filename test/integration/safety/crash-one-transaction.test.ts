import { describeCrashSafety } from './crash-suite.js'

describeCrashSafety({ mode: 'one transaction', backend: 'postgres', defaultKillPoints: 20, startupMs: 1500 })
