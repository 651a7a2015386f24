import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs in production and tests; pretty lines only when a person runs `npm run dev`. */
export function createLogger(opts: { level?: string; pretty?: boolean; name?: string } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  if (opts.pretty) {
    return pino({
      level,
      name: opts.name,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({
    level,
    name: opts.name,
    redact: ['*.authorization', '*.Authorization', '*.password', '*.secret'],
  });
}

/** For tests and library code that is given no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
