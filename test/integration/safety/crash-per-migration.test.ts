import { describeCrashSafety } from './crash-suite.js'

describeCrashSafety('transactionPerMigration')
