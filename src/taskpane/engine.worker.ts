/* Web Worker running the engine jobs (src/app/jobs) off the pane's thread; see workerRunner.ts. */
import { serveJobs, type JobHostScope } from "../app/jobHost";

serveJobs(self as unknown as JobHostScope);
