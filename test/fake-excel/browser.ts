/**
 * Entry point of the browser bundle: exposes window.FakeExcel = { FakeExcel, createFakeExcel,
 * EXCEL_ENUMS }. In a page (e.g. from playwright's addInitScript):
 *   const fake = window.FakeExcel.createFakeExcel();
 *   fake.install(window, { office: true });   // window.Excel (and window.Office) become the fake
 */
import { createFakeExcel, EXCEL_ENUMS, FakeExcel, FakeOfficeError } from "./index";

(globalThis as unknown as { FakeExcel: unknown }).FakeExcel = { FakeExcel, createFakeExcel, EXCEL_ENUMS, FakeOfficeError };
