import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs in production and tests; pretty lines only when a person runs `npm run dev`. The level
 * comes from the caller (the bot's configuration, `LOG_LEVEL`), `info` when not given.
 */
export function createLogger(
  opts: { level?: string | undefined; pretty?: boolean; name?: string } = {},
): Logger {
  const level = opts.level ?? 'info';
  // pino's options type has no room for an explicit undefined name.
  const name = opts.name === undefined ? {} : { name: opts.name };
  if (opts.pretty) {
    return pino({
      level,
      ...name,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({
    level,
    ...name,
    redact: ['*.authorization', '*.Authorization', '*.password', '*.secret'],
  });
}

/** For tests and library code that is given no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
