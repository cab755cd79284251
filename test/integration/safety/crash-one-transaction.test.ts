import { describeCrashSafety } from './crash-suite.js'

describeCrashSafety('one transaction')
