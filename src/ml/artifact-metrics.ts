/** What an artifact's metrics say, read without the manifest's validator (the UI imports this). */
import type { Artifact } from "./manifest";

/** An artifact's validation perplexity by language, as its metrics record it (if they do). */
export function validationPerplexity(
  artifact: Artifact | undefined,
): Record<string, number> | undefined {
  const ppl = artifact?.metrics?.validationPerplexity;
  return ppl && typeof ppl === "object" ? (ppl as Record<string, number>) : undefined;
}
