import { describeDeclarationRoundtrip } from './declaration-roundtrip.js'

describeDeclarationRoundtrip(5, 6)
