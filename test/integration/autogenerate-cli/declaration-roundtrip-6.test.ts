import { describeDeclarationRoundtrip } from './declaration-roundtrip.js'

describeDeclarationRoundtrip(6, 6)
