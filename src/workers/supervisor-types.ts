/** The one message a worker sends outside its comlink API: its GPU device was lost. */
export const DEVICE_LOST = "mome:device-lost";
