/**
 * The SEG custom functions, one module per feature. Each module holds its functions' entry points
 * (their JSDoc is the formula-builder help; custom-functions-metadata-plugin reads every module
 * listed here, see webpack.config.js) and the argument shaping around src/engine. Adding a
 * feature's functions is one new module and one line here (docs/adding-a-step.md).
 * Runs in the shared runtime (same page as the task pane).
 */
import "./classify";
import "./policy";
import "./gsm";
import "./forecast";
