/* One jest run for every suite. React tests opt into jsdom with a @jest-environment docblock;
   the browser end-to-end suite (test/e2e) needs the production build in dist/ (npm test builds first). */
// ESM-only packages that jest must compile: office-addin-mock's uuid and strip-bom, and the d3
// modules under @fluentui/react-charts, and typebox (the API schemas, src/api).
const esmOnly = ["typebox", "uuid", "strip-bom", "d3-[a-z-]+", "internmap", "delaunator", "robust-predicates"].join("|");

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.(t|j)sx?$|^.+\\.mjs$": [
      "ts-jest",
      {
        tsconfig: { isolatedModules: true, module: "commonjs", moduleResolution: "node", allowJs: true, jsx: "react-jsx", esModuleInterop: true },
      },
    ],
  },
  // Nested copies too (office-addin-mock loads strip-bom from under @microsoft/app-manifest).
  transformIgnorePatterns: [`/node_modules/(?!(?:.*/node_modules/)?(${esmOnly})/)`],
  testTimeout: 30000,
  setupFilesAfterEnv: ["<rootDir>/test/helpers/domTimeouts.ts"],
  reporters: ["default", "<rootDir>/scripts/jest-summary.js"],
};
