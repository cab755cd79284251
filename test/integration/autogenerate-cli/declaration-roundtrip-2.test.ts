import { describeDeclarationRoundtrip } from './declaration-roundtrip.js'

describeDeclarationRoundtrip(2, 6)
