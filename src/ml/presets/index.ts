/**
 * Every size and training setting, by audience: the shipped models, the router, the browser, and
 * the paper's reproduction. The CLI, the pipeline, the workers and the app read them from here.
 */
export * from "./browser";
export * from "./models";
export * from "./reproduce";
export * from "./router";
