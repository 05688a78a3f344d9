/** `route`'s JSONL protocol: one line out per line in, a route or an error naming the line. */

/** The route of one text, or an error (thrown) that says why it has none. */
export type RouteText = (text: string) => Record<string, unknown>;

/** Routes each JSONL line (`{"text": …}`) of `input`; `bad` counts the lines that gave an error. */
export function routeJsonLines(
  input: string,
  routeText: RouteText,
): { outputs: Record<string, unknown>[]; bad: number } {
  const lines = input.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  let bad = 0;
  const outputs = lines.map((line, i) => {
    try {
      const parsed = JSON.parse(line) as { text?: unknown };
      if (typeof parsed?.text !== "string")
        throw new Error('expected an object with a string "text" field');
      return routeText(parsed.text);
    } catch (e) {
      bad++;
      return { line: i + 1, error: (e as Error).message };
    }
  });
  return { outputs, bad };
}
