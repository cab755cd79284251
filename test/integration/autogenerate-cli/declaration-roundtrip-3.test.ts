import { describeDeclarationRoundtrip } from './declaration-roundtrip.js'

describeDeclarationRoundtrip(3, 6)
