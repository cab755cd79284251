import { describeCrashSafety } from './crash-suite.js'

describeCrashSafety({ mode: 'transactionPerMigration', backend: 'postgres', defaultKillPoints: 20, startupMs: 1500 })
