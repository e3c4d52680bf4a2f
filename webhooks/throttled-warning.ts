import type { Logger } from '../src/logging';

/**
 * A warning anyone on the internet can trigger (a forged or unsigned webhook) must not let them
 * fill the logs: the first occurrence in a window is logged at once, the rest of that window are
 * only counted, and when the window closes one line reports how many were left out.
 */
export class ThrottledWarning {
  private windowOpen = false;
  private suppressed = 0;
  private lastFields: Record<string, unknown> = {};

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs: number,
  ) {}

  warn(fields: Record<string, unknown>): void {
    if (this.windowOpen) {
      this.suppressed += 1;
      this.lastFields = fields;
      return;
    }
    this.logger.warn(fields, this.message);
    this.openWindow();
  }

  private openWindow(): void {
    this.windowOpen = true;
    // unref: a pending summary never keeps the process alive.
    setTimeout(() => this.closeWindow(), this.intervalMs).unref();
  }

  private closeWindow(): void {
    this.windowOpen = false;
    if (this.suppressed === 0) return;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.logger.warn(
      { ...this.lastFields, suppressed, windowMs: this.intervalMs },
      `${this.message} (${suppressed} more in the last ${this.intervalMs} ms)`,
    );
    // The summary line starts a new window, so a steady flood yields one line per interval.
    this.openWindow();
  }
}
