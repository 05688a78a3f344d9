/** A progress bar on stderr (a line every few seconds when stderr is not a terminal). */
import { SingleBar } from "cli-progress";

export class Progress {
  /** Bars not yet stopped: an error path stops them all (a running bar keeps Node alive). */
  private static readonly running = new Set<Progress>();
  private readonly bar: SingleBar;

  static stopAll(): void {
    for (const progress of Progress.running) progress.stop();
  }

  constructor(label: string, total: number) {
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted} {info}`,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      hideCursor: true,
    });
    this.bar.start(Math.max(1, total), 0, { info: "" });
    Progress.running.add(this);
  }

  update(value: number, info = ""): void {
    this.bar.update(value, { info });
  }

  stop(): void {
    Progress.running.delete(this);
    this.bar.stop();
  }
}
