/**
 * Structured logger: one JSON object per line (`{t, level, msg, ...fields}`), errors to stderr.
 * `createLogger(false)` gives a logger that writes nothing.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

function serialize(level: Level, msg: string, fields?: LogFields): string {
  const entry: LogFields = { t: new Date().toISOString(), level, msg };
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      entry[key] =
        value instanceof Error
          ? { name: value.name, message: value.message, stack: value.stack }
          : value;
    }
  }
  return JSON.stringify(entry);
}

export function createLogger(enabled: boolean, debug = false): Logger {
  const write = (level: Level, msg: string, fields?: LogFields) => {
    if (!enabled || (level === 'debug' && !debug)) return;
    const line = serialize(level, msg, fields) + '\n';
    if (level === 'error' || level === 'warn') process.stderr.write(line);
    else process.stdout.write(line);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
