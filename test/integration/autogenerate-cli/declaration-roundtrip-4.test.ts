import { describeDeclarationRoundtrip } from './declaration-roundtrip.js'

describeDeclarationRoundtrip(4, 6)
