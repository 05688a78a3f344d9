// PROD only silences tfjs's log output (its banner suggesting tfjs-node, which cannot install here).
// IS_TEST's per-kernel leak check is not usable: on wasm, tensors saved for a custom gradient are
// copies with new data ids, which it reports as leaks. Tests count tensors themselves instead.
import * as tf from "@tensorflow/tfjs";

tf.env().set("PROD", true);
