/* The pane's client for the backend API. */
export * from "./api";
export * from "./errors";
export * from "./retry";
export * from "./types";
