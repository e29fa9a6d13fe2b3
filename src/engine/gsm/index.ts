/** Guaranteed-service multi-echelon safety stock: network checks, tree and serial dynamic programs. */
export { buildNetwork, MAX_REPLENISHMENT_TIME, type GsmNetwork, type GsmStage } from "./network";
export { evaluateGsm, solveGsmTree, type GsmResult } from "./tree";
export { gsmSerial, solveGsmSerial, type GsmSerialInput, type GsmSerialResult } from "./serial";
