import { MemoryLogger, type LogFields, type LogLevel } from '@aic/connector-core';

/** When a log entry was written: the connector calls in flight and the scenario's sequence. */
export interface LogMoment {
  readonly during: string | undefined;
  readonly seq: number;
}

/**
 * The logger the kit binds: a {@link MemoryLogger} that also remembers, per entry, which connector
 * call was running, so a leak in a log line names the operation that wrote it.
 */
export class KitLogger extends MemoryLogger {
  readonly moments: LogMoment[] = [];
  /** Set by the scenario: what is running now. */
  moment: () => LogMoment = () => ({ during: undefined, seq: 0 });

  override log(level: LogLevel, message: string, fields?: LogFields): void {
    super.log(level, message, fields);
    this.moments.push(this.moment());
  }
}
