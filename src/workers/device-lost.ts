/** Tells the page when the WebGPU device behind the tfjs backend is lost (tfjs itself does not). */
import * as tf from "@tensorflow/tfjs";
import { DEVICE_LOST } from "../app/supervisor-messages";

export function watchDeviceLoss(): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message: string }> } })
    .device;
  device?.lost?.then((info) => self.postMessage({ type: DEVICE_LOST, message: info.message }));
}
