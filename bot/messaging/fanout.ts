import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { OutgoingMessage } from '../conversation.js';
import { PreconditionFailedError } from '../sharepoint/index.js';
import { realSleep, systemClock, type Clock, type Sleep } from './clock.js';
import {
  checkCampaign,
  deliveryKey,
  heldBy,
  type Delivery,
  type DeliveryEvent,
  type DeliveryLog,
  type DeliveryStatus,
} from './deliveries.js';
import { describeRecipient, type Messenger, type Recipient, type Target } from './messenger.js';
import { AbortedError } from './rate-limiter.js';
import { ProactiveSendError, ProactiveThrottledError, type SentActivity } from './sender.js';

/**
 * Proactive fan-out: one message to each of many recipients, paced under Teams' rate limits,
 * every send recorded in `Deliveries`, and resumable by any instance.
 *
 * The order of work for each recipient keeps the "did it go?" window as small as we can make it:
 * find the conversation (opening a personal chat if needed) → wait for room under the rate limits
 * and hold it → claim the delivery (Pending → Sending, with the ETag, so no other process can) →
 * take the held slot → send at once → record Sent. The slot is counted at the send, not before
 * the claim write, so that write's latency never bunches the sends as Teams sees them. A crash before the claim leaves it Pending: it is sent on resume. A crash after
 * the claim, or a send whose answer was lost, leaves it Sending: we cannot ask Teams whether the
 * message arrived, so once the claim is older than `claimLeaseMs` it becomes Unconfirmed and is
 * never re-sent automatically. We chose "at most once" because a duplicate invitation or reminder
 * is what the board notices; an Unconfirmed row is visible in `Deliveries`, and an officer can
 * requeue it. For consultation invitations the officer's status card ("consult status") names
 * whose invitation failed or may not have arrived, and its "Send their invitations again" button
 * requeues those (Failed/Unconfirmed → Pending) and resumes the campaign's fan-out.
 */

export interface FanOutRequest {
  /** Names the fan-out, e.g. `consultation:C-0003:invitation`; with the recipient, the unique key. */
  campaign: string;
  /** The Title of each delivery, e.g. "Consultation C-0003 invitation". */
  title: string;
  recipients: readonly Recipient[];
  /** Each recipient's message, built once when the campaign is planned and stored with it. */
  message(recipient: Recipient): OutgoingMessage | Promise<OutgoingMessage>;
  signal?: AbortSignal;
}

export interface DeliveryOutcome {
  key: string;
  campaign: string;
  recipient: Recipient;
  status: DeliveryStatus;
  /** True when this run sent it; false when it had been sent before. */
  sentNow: boolean;
  attempts: number;
  activityId?: string;
  conversationId?: string;
  error?: string;
}

export interface FanOutReport {
  total: number;
  /** Sent by this run. */
  sent: number;
  /** Sent before this run (a repeated or resumed fan-out). */
  alreadySent: number;
  failed: number;
  unconfirmed: number;
  /** Left for a later run: stopped, the list unavailable, or in flight on another instance. */
  pending: number;
  outcomes: DeliveryOutcome[];
}

export interface FanOutOptions {
  log: DeliveryLog;
  messenger: Messenger;
  logger: Logger;
  /** Deliveries worked on at once. */
  concurrency?: number;
  /** Send attempts per delivery, over all runs, before it is Failed. */
  maxAttempts?: number;
  /** A Sending claim older than this was cut off (its process stopped). */
  claimLeaseMs?: number;
  clock?: Clock;
  sleep?: Sleep;
}

const CUT_OFF =
  'Not sent again: the bot stopped while sending this, so it may have arrived. Requeue it to send it anyway.';
const LOST_ANSWER =
  'Not sent again: the connection to Teams broke after the message went out, so it may have arrived.';

/** 16 at once keeps Teams' 50 a second busy even when each list write takes a few hundred ms. */
export const FANOUT_DEFAULTS = { concurrency: 16, maxAttempts: 6, claimLeaseMs: 10 * 60_000 } as const;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function summarise(outcomes: DeliveryOutcome[]): FanOutReport {
  const count = (test: (o: DeliveryOutcome) => boolean) => outcomes.filter(test).length;
  return {
    total: outcomes.length,
    sent: count((o) => o.status === 'Sent' && o.sentNow),
    alreadySent: count((o) => o.status === 'Sent' && !o.sentNow),
    failed: count((o) => o.status === 'Failed'),
    unconfirmed: count((o) => o.status === 'Unconfirmed'),
    pending: count((o) => o.status === 'Pending' || o.status === 'Sending'),
    outcomes,
  };
}

/** Exponential backoff with jitter for 5xx answers, capped at 30 seconds. */
export function transientDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export class FanOut {
  private readonly stopping = new AbortController();
  /** Campaigns this process is sending now: a resume here leaves them to their own run. */
  private readonly active = new Map<string, number>();
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly claimLeaseMs: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(private readonly options: FanOutOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? FANOUT_DEFAULTS.concurrency);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? FANOUT_DEFAULTS.maxAttempts);
    this.claimLeaseMs = options.claimLeaseMs ?? FANOUT_DEFAULTS.claimLeaseMs;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  /**
   * Sends a campaign: records every recipient as Pending, then sends to those not yet sent. Safe to
   * call again with the same campaign (after an error, or to add recipients): nobody gets it twice.
   */
  async fanOut(request: FanOutRequest): Promise<FanOutReport> {
    checkCampaign(request.campaign);
    const unique = new Map<string, Recipient>();
    for (const r of request.recipients) unique.set(deliveryKey(request.campaign, r), r);
    const planned = await Promise.all(
      [...unique.values()].map(async (recipient) => ({
        recipient,
        message: await request.message(recipient),
      })),
    );
    this.active.set(request.campaign, (this.active.get(request.campaign) ?? 0) + 1);
    try {
      const deliveries = await this.options.log.plan(request.campaign, request.title, planned);
      return await this.process(deliveries, request.signal);
    } finally {
      const left = (this.active.get(request.campaign) ?? 1) - 1;
      if (left > 0) this.active.set(request.campaign, left);
      else this.active.delete(request.campaign);
    }
  }

  /**
   * Carries on with every unsettled delivery (after a crash, a redeploy or a stop). A general resume
   * leaves campaigns this process is sending now to their own run; a resume of one named campaign
   * (an officer sending some again) takes them anyway: that run works from the list it started with,
   * and every send is claimed first, so nobody gets two.
   */
  async resumePending(options: { campaign?: string; signal?: AbortSignal } = {}): Promise<FanOutReport> {
    const open = await this.options.log.open(options.campaign);
    return this.process(
      options.campaign ? open : open.filter((d) => !this.active.has(d.campaign)),
      options.signal,
    );
  }

  /** Stops taking new deliveries (shutdown); what is not sent stays Pending for the next instance. */
  stop(): void {
    this.stopping.abort();
  }

  private async process(deliveries: Delivery[], signal?: AbortSignal): Promise<FanOutReport> {
    const abort = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    const outcomes: DeliveryOutcome[] = new Array<DeliveryOutcome>(deliveries.length);
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) {
        const index = next++;
        outcomes[index] = await this.deliverOne(deliveries[index]!, abort);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, deliveries.length) }, worker));
    const report = summarise(outcomes);
    if (report.failed || report.unconfirmed || report.pending) {
      this.options.logger.warn(
        {
          sent: report.sent,
          failed: report.failed,
          unconfirmed: report.unconfirmed,
          pending: report.pending,
        },
        'fan-out finished with deliveries not sent',
      );
    }
    return report;
  }

  private outcome(d: Delivery, sentNow: boolean, error?: string): DeliveryOutcome {
    const message = error ?? (d.status === 'Sent' ? undefined : d.lastError);
    return {
      key: d.key,
      campaign: d.campaign,
      recipient: d.recipient,
      status: d.status,
      sentNow,
      attempts: d.attempts,
      ...(d.activityId && d.status === 'Sent' ? { activityId: d.activityId } : {}),
      ...(d.conversationId ? { conversationId: d.conversationId } : {}),
      ...(message ? { error: message } : {}),
    };
  }

  private isStale(d: Delivery): boolean {
    const at = d.attemptedAt ? Date.parse(d.attemptedAt) : NaN;
    return Number.isNaN(at) || this.clock().getTime() - at >= this.claimLeaseMs;
  }

  /** Writes an event; if another process changed the delivery first, returns it as it now stands. */
  private async record(d: Delivery, event: DeliveryEvent, unconditional = false): Promise<Delivery> {
    try {
      return await this.options.log.apply(d, event, { unconditional });
    } catch (e) {
      if (e instanceof PreconditionFailedError) return this.options.log.get(d.id);
      throw e;
    }
  }

  private async deliverOne(start: Delivery, signal: AbortSignal): Promise<DeliveryOutcome> {
    const log = this.options.logger;
    let d = start;
    let resolveTries = 0;
    let target: Target | undefined;
    try {
      for (;;) {
        switch (d.status) {
          case 'Sent':
          case 'Failed':
          case 'Unconfirmed':
            return this.outcome(d, false);
          case 'Sending':
            if (!this.isStale(d)) return this.outcome(d, false);
            d = await this.record(d, { type: 'unconfirmed', error: CUT_OFF });
            if (d.status === 'Unconfirmed')
              log.warn({ key: d.key }, 'delivery cut off mid-send marked Unconfirmed, not re-sent');
            continue;
          case 'Pending':
            break;
        }
        if (signal.aborted) return this.outcome(d, false);
        if (!d.message) {
          d = await this.record(d, { type: 'fail', error: 'The planned message could not be read back.' });
          continue;
        }
        if (d.attempts >= this.maxAttempts) {
          d = await this.record(d, {
            type: 'fail',
            error: `Gave up after ${d.attempts} attempts. Last error: ${d.lastError ?? 'none recorded'}`,
          });
          continue;
        }

        try {
          target ??= await this.options.messenger.resolve(d.recipient, signal);
        } catch (e) {
          if (e instanceof AbortedError || signal.aborted) return this.outcome(d, false);
          // Opening a chat twice is harmless (Teams returns the same one), so any doubt is retried.
          const retry = e instanceof ProactiveSendError && (e.retryable || e.kind === 'unknown');
          if (retry && ++resolveTries < this.maxAttempts) {
            if (!(e instanceof ProactiveThrottledError))
              await this.sleep(transientDelay(resolveTries), signal);
            continue;
          }
          if (e instanceof ProactiveSendError) {
            d = await this.record(d, {
              type: 'fail',
              error: `Could not reach ${describeRecipient(d.recipient)}: ${e.message}`,
            });
            continue;
          }
          throw e;
        }

        // Room under the limits is held before the claim (so a claimed delivery hardly waits)
        // and taken after it, right before the send (so the claim write's latency does not
        // bunch the sends as Teams sees them, which would draw 429s and pause everything).
        const slot = await this.options.messenger.reserve(target, signal);
        const token = randomUUID();
        let claimed: Delivery;
        try {
          claimed = await this.record(d, {
            type: 'claim',
            at: this.clock(),
            conversationId: target.conversationId,
            token,
          });
        } catch (e) {
          slot.cancel();
          throw e;
        }
        if (!heldBy(claimed, token)) {
          slot.cancel();
          d = claimed; // someone else moved first: see where it stands now
          continue;
        }
        d = claimed;

        try {
          await slot.take(signal);
        } catch (e) {
          if (!(e instanceof AbortedError || signal.aborted)) throw e;
          // Stopped while waiting for room: nothing went out, so the claim is handed back.
          d = await this.record(d, {
            type: 'release',
            error: 'Stopped before sending; it will be sent on resume.',
          });
          return this.outcome(d, false);
        }

        let sent: SentActivity;
        try {
          sent = await this.options.messenger.send(target, d.message!);
        } catch (e) {
          d = await this.afterFailedSend(d, e, signal);
          if (d.status === 'Pending') continue;
          return this.outcome(d, false);
        }
        return this.outcome(await this.recordSent(d, sent, target), true);
      }
    } catch (e) {
      if (e instanceof AbortedError) return this.outcome(d, false);
      // The list or something unexpected failed: the delivery stays as recorded for the next run.
      log.error({ err: e, key: d.key }, 'delivery interrupted; it will be resumed');
      return this.outcome(d, false, errorText(e));
    }
  }

  private async afterFailedSend(d: Delivery, e: unknown, signal: AbortSignal): Promise<Delivery> {
    const error = e instanceof ProactiveSendError ? e : undefined;
    const text = errorText(e);
    if (!error || error.kind === 'unknown') {
      return this.record(d, { type: 'unconfirmed', error: `${LOST_ANSWER} (${text})` });
    }
    if (!error.retryable) return this.record(d, { type: 'fail', error: text });
    if (d.attempts >= this.maxAttempts) {
      return this.record(d, { type: 'fail', error: `Gave up after ${d.attempts} attempts: ${text}` });
    }
    const released = await this.record(d, { type: 'release', error: text });
    // A 429 has already paused the rate limiter for Retry-After; other failures back off here.
    if (!(error instanceof ProactiveThrottledError)) await this.sleep(transientDelay(d.attempts), signal);
    return released;
  }

  /** Teams accepted it: record that even if the list is slow (three tries), never send it again. */
  private async recordSent(d: Delivery, sent: SentActivity, target: Target): Promise<Delivery> {
    const event: DeliveryEvent = {
      type: 'sent',
      at: this.clock(),
      activityId: sent.activityId,
      conversationId: target.conversationId,
    };
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return await this.options.log.apply(d, event, { unconditional: true });
      } catch (e) {
        lastError = e;
        await this.sleep(transientDelay(attempt));
      }
    }
    this.options.logger.error(
      { err: lastError, key: d.key },
      'message sent but not recorded; it will show as Unconfirmed and is not re-sent',
    );
    return { ...d, status: 'Sent', activityId: sent.activityId, conversationId: target.conversationId };
  }
}
