import { useEffect } from "react";
import { useAppStore } from "./store";

function BackendStatus() {
  const backend = useAppStore((s) => s.backend);
  let text = "Starting TensorFlow.js…";
  if (backend.state === "ready") {
    const skipped = backend.value.attempts.filter((a) => !a.ok);
    text = `Running on ${backend.value.name.toUpperCase()}`;
    if (skipped.length > 0)
      text += ` — skipped ${skipped.map((a) => `${a.name} (${a.reason})`).join(", ")}`;
  } else if (backend.state === "error") text = `No compute backend: ${backend.message}`;
  return (
    <p role="status" aria-label="Compute backend" className="backend">
      {text}
    </p>
  );
}

function ShippedModels() {
  const artifacts = useAppStore((s) => s.artifacts);
  if (artifacts.state === "error")
    return <p role="alert">Could not load the model list: {artifacts.message}</p>;
  if (artifacts.state !== "ready") return <p>Loading the model list…</p>;
  if (artifacts.value.length === 0) return <p>No pre-trained models are shipped yet.</p>;
  return (
    <ul aria-label="Shipped models">
      {artifacts.value.map((a) => (
        <li key={a.name}>
          {a.name} ({a.kind}, {(a.files.reduce((s, f) => s + f.bytes, 0) / 1024).toFixed(0)} kB)
        </li>
      ))}
    </ul>
  );
}

export function App() {
  const start = useAppStore((s) => s.start);
  useEffect(() => {
    void start();
  }, [start]);
  return (
    <main>
      <h1>MoME Lab</h1>
      <p>
        Mixture of Modular Experts in your browser: one multilingual teacher language model,
        distilled into small experts for English, French, German and Python, chosen by a router.
      </p>
      <BackendStatus />
      <h2>Models</h2>
      <ShippedModels />
    </main>
  );
}
