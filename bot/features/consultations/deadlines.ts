import type { Logger } from '../../logger.js';
import type { ConsultationService } from './service.js';

/**
 * Closes consultations at their deadline. The messaging scheduler runs jobs once a day at set
 * times; a deadline is any minute, so this looks every minute beside it (switched on with the
 * scheduler). Closing is idempotent across instances (an ETag'd status change, the summary a
 * one-recipient campaign), and an answer that arrives after the deadline is refused whether or not
 * this has run yet.
 */

export class DeadlineWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly service: ConsultationService,
    private readonly logger: Logger,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.service
        .tick()
        .then((r) => {
          if (r.closed.length)
            this.logger.info({ closed: r.closed }, 'consultations closed at their deadline');
        })
        .catch((err: unknown) => this.logger.error({ err }, 'checking consultation deadlines failed'))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.everyMs);
    this.timer.unref();
    setImmediate(tick);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.service.settled();
  }
}
