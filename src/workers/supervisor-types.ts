/** The messages a worker exchanges with its supervisor outside its comlink API. */

/** The worker's GPU device was lost (worker → page). */
export const DEVICE_LOST = "mome:device-lost";
/** Are you there? (page → worker), answered by PONG as soon as the worker's thread is free. */
export const PING = "mome:ping";
export const PONG = "mome:pong";
/**
 * Start WASM without threads (page → worker, before any call): a worker replaced after it froze
 * while creating the threaded build's pool of nested workers must not freeze the same way again.
 */
export const SINGLE_THREAD = "mome:single-thread";
