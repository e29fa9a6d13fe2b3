/** Office.js implementation of the WorkbookGateway port (src/app/ports.ts). */
export { createExcelGateway } from "./gateway";
export type { ExcelGateway, ExcelGatewayOptions } from "./gateway";
export { createSettingsStore } from "./settings";
export type { OfficeSettingsLike, SettingsStore } from "./settings";
export { officeExcelHost } from "./host";
export type { ExcelHost } from "./host";
export { AUDIT_COLUMNS, AUDIT_SHEET_NAME, auditCellAddress } from "./auditSheet";
export type { AuditSheetRow } from "./auditSheet";
export { DEFAULT_LIMITS } from "./blocks";
export type { ChunkLimits } from "./blocks";
export { DEFAULT_SYNC_BUDGET_BYTES, EXCEL_PAYLOAD_LIMIT_BYTES, MAX_CELLS_PER_READ } from "./payload";
export { BACKUP_PREFIX, STAGE_PREFIX } from "./writer";
