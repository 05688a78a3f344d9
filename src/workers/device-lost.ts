/** Tells the page when the WebGPU device behind the tfjs backend is lost (tfjs itself does not). */
import * as tf from "@tensorflow/tfjs";
import { DEVICE_LOST } from "./supervisor-types";

interface GpuDevice {
  lost?: Promise<{ message: string }>;
  destroy?(): void;
}

const currentDevice = () => (tf.backend() as unknown as { device?: GpuDevice }).device;

export function watchDeviceLoss(): void {
  currentDevice()?.lost?.then((info) =>
    self.postMessage({ type: DEVICE_LOST, message: info.message || "device destroyed" }),
  );
}

/** Destroys the WebGPU device, which loses it as a driver reset would: for testing recovery. */
export function destroyGpuDevice(): void {
  const device = currentDevice();
  if (tf.getBackend() !== "webgpu" || !device?.destroy)
    throw new Error("a device loss can only be simulated on the WebGPU backend");
  device.destroy();
}
