/** A progress bar on stderr (a line every few seconds when stderr is not a terminal). */
import { SingleBar } from "cli-progress";

export class Progress {
  private readonly bar: SingleBar;

  constructor(label: string, total: number) {
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted} {info}`,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      hideCursor: true,
    });
    this.bar.start(Math.max(1, total), 0, { info: "" });
  }

  update(value: number, info = ""): void {
    this.bar.update(value, { info });
  }

  stop(): void {
    this.bar.stop();
  }
}
