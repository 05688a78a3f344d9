/** `npm run models -- <stage> [args]`: see scripts/pipeline.ts for the stages. */
import { STAGES } from "./pipeline";

const [stage, ...rest] = process.argv.slice(2);
const run = STAGES[stage ?? ""];
if (!run) {
  process.stderr.write(`usage: npm run models -- <${Object.keys(STAGES).join("|")}> [args]\n`);
  process.exit(2);
}
await run(rest);
