/**
 * Stand-in for the CustomFunctions runtime global, which exists only inside Excel. It mirrors the
 * documented shape (Error with code and message, ErrorCode string values) so that the custom
 * function wrappers can be unit-tested in node. Import it before src/functions modules.
 */
const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

class CustomFunctionsError extends Error {
  constructor(
    public readonly code: string,
    message?: string,
  ) {
    super(message);
    this.name = "CustomFunctions.Error";
  }
}

(globalThis as unknown as { CustomFunctions: unknown }).CustomFunctions = {
  Error: CustomFunctionsError,
  ErrorCode,
  associate: () => undefined,
};

export function isExcelError(x: unknown): x is { code: string; message: string } {
  return x instanceof CustomFunctionsError;
}

export { CustomFunctionsError };
