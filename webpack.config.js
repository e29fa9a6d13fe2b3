/* Webpack build for the add-in: one shared runtime page (taskpane.html) that hosts the
   task pane and the custom functions, plus functions.json generated from JSDoc. */
const fs = require("fs");
const path = require("path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const { httpsOptions } = require("./scripts/certs.js");

const devUrl = "https://localhost:3000/";
// Where a production build is hosted; set ADDIN_PUBLIC_URL when deploying.
const prodUrl = process.env.ADDIN_PUBLIC_URL || devUrl;
const port = Number(process.env.npm_package_config_dev_server_port || 3000);

/** The custom-function modules, as src/functions/functions.ts imports them (one line per feature). */
function functionModules() {
  const registry = fs.readFileSync(path.resolve(__dirname, "src/functions/functions.ts"), "utf8");
  return [...registry.matchAll(/^import "\.\/([\w-]+)";$/gm)].map((m) => `./src/functions/${m[1]}.ts`);
}

module.exports = async (env, options) => {
  const dev = options.mode === "development";
  return {
    devtool: dev ? "eval-source-map" : "source-map",
    entry: {
      functions: "./src/functions/functions.ts",
      // One shared runtime: taskpane.html loads functions.js first, then taskpane.js. The pane
      // depends on the functions' entry, so the engine modules both use are sent once (in
      // functions.js) instead of once in each file.
      taskpane: { import: "./src/taskpane/index.tsx", dependOn: "functions" },
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: { extensions: [".ts", ".tsx", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { transpileOnly: true } }, // npm test type-checks with tsc
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      new CustomFunctionsMetadataPlugin({
        output: "functions.json",
        input: functionModules(),
      }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["functions", "taskpane"],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          {
            // office.js served from our own origin (no CDN): the loader, the Excel host scripts it
            // picks at run time, and its localised strings. Debug builds and telemetry are left out.
            context: path.dirname(require.resolve("@microsoft/office-js/dist/office.js")),
            from: "{office.js,o15apptofilemappingtable.js,excel-*.js,custom-functions-runtime.js,*/office_strings.js}",
            to: "office-js/",
            globOptions: { ignore: ["**/*.debug.js"] },
          },
          {
            // Exact path on purpose: a glob here makes webpack watch the repo root.
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => (dev ? content : content.toString().split(devUrl).join(prodUrl)),
          },
        ],
      }),
    ],
    devServer: {
      static: { directory: path.resolve(__dirname, "dist") },
      headers: { "Access-Control-Allow-Origin": "*" },
      server: { type: "https", options: env.WEBPACK_BUILD ? undefined : await httpsOptions() },
      port,
      client: { overlay: { warnings: false, errors: true } },
    },
  };
};
