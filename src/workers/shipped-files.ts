/** Reading shipped files through the manifest, each checked against it. No TensorFlow.js here. */
import {
  type Artifact,
  fetchReader,
  findArtifact,
  type ModelManifest,
  parseManifest,
  type ReadFile,
  verifiedReader,
} from "../ml/manifest";
import { Router } from "../ml/router";
import { BpeTokenizer } from "../ml/tokenizer";

export async function readManifest(modelsUrl: string): Promise<ModelManifest> {
  const bytes = await fetchReader(modelsUrl)("manifest.json");
  return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
}

/** Reads an artifact's files, each checked against the manifest (a stale cached copy is re-fetched once). */
export function artifactReader(
  modelsUrl: string,
  artifact: Artifact,
  signal?: AbortSignal,
): ReadFile {
  return verifiedReader(
    fetchReader(modelsUrl, "default", signal),
    artifact,
    fetchReader(modelsUrl, "reload", signal),
  );
}

/** A shipped JSON artifact (tokenizer.json, router.json), checked against the manifest. */
export async function readShippedJson(
  modelsUrl: string,
  manifest: ModelManifest,
  name: string,
  kind: "tokenizer" | "router",
): Promise<unknown> {
  const artifact = findArtifact(manifest, name, kind);
  const bytes = await artifactReader(modelsUrl, artifact)(artifact.files[0].path);
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The shipped tokenizer. */
export async function readShippedTokenizer(
  modelsUrl: string,
  manifest: ModelManifest,
): Promise<BpeTokenizer> {
  const json = await readShippedJson(modelsUrl, manifest, "tokenizer", "tokenizer");
  return new BpeTokenizer(json as BpeTokenizer["json"]);
}

/** The shipped tokenizer and router, read side by side. */
export async function readShippedRouting(
  modelsUrl: string,
  manifest: ModelManifest,
): Promise<{ tokenizer: BpeTokenizer; router: Router }> {
  const [tokenizer, router] = await Promise.all([
    readShippedTokenizer(modelsUrl, manifest),
    readShippedJson(modelsUrl, manifest, "router", "router"),
  ]);
  return { tokenizer, router: Router.fromJSON(router) };
}
