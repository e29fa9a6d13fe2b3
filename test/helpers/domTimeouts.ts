/* Jest setup (jest.config.js setupFilesAfterEnv): in the React component suites (jsdom), the
   Testing Library's findBy* and waitFor wait up to 10 s instead of 1 s. The pane's first render
   (Fluent UI, the whole App) can take longer than a second when the CI machine is busy, and a
   suite then failed on "Unable to find role=group" for a view that was only slow to appear. */
if (typeof window !== "undefined") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("@testing-library/react") as typeof import("@testing-library/react")).configure({ asyncUtilTimeout: 10_000 });
}
