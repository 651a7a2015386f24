import { textPrint } from '../../keys.js';
import { closedConsultationCard, invitationCard } from '../../../cards/consult.js';
import { initialResponseCard, reminderCard, summaryCard, weDidCard } from '../../../cards/consult-follow.js';
import { londonDate, londonDateTime, formatShortDate, toIsoDate } from '../../dates/london.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../messaging/clock.js';
import type {
  Delivery,
  DeliveryLog,
  FanOutReport,
  FanOutRequest,
  Messenger,
  Recipient,
} from '../../messaging/index.js';
import { PreconditionFailedError } from '../../sharepoint/index.js';
import { TELEMETRY_EVENTS, trackEvent } from '../../telemetry.js';
import { newFeedbackFields, planAnswerChange, type AnswerSet } from './answers.js';
import { feedbackKey, inviteeFor, respondentKey } from './anonymity.js';
import { exportLinks } from './export.js';
import type { NewConsultationDraft } from './form.js';
import { writeInvitees, type Consultation, type Feedback, type Invitee, type WeDid } from './model.js';
import type { ConsultationStore } from './store.js';
import type { StatusView } from '../../../cards/consult-follow.js';
import { responsesOf, statusView, summaryView, toView, whenLabel } from './views.js';

/**
 * What a consultation sends and when: the invitations (one fan-out, recorded in Deliveries and
 * resumable, so nobody is invited twice), reminders (a campaign per London day, so at most one a
 * day each), initial responses, closing (cards made read-only, the summary posted once) and
 * "you said, we did". Long fan-outs run in the background; `settled()` waits for them.
 */

export interface ConsultMessaging {
  fanOut(request: FanOutRequest): Promise<FanOutReport>;
  /** Carries on with a campaign's Pending deliveries (those an officer sends again). */
  resumePending(options: { campaign: string }): Promise<FanOutReport>;
  deliveries: Pick<DeliveryLog, 'forCampaign' | 'apply'>;
  messenger: Pick<Messenger, 'update' | 'deliver'>;
}

export interface ConsultDeps {
  store: ConsultationStore;
  /** Absent only where the router is built without the messaging layer (unit tests). */
  messaging?: ConsultMessaging;
  clock: Clock;
  /** Keeps anonymous respondents anonymous and signs export links. */
  secret: string;
  logger: Logger;
}

export const campaigns = {
  invitation: (ref: string) => `consultation:${ref}:invitation`,
  reminder: (ref: string, day: string) => `consultation:${ref}:reminder:${day}`,
  response: (ref: string, item: string, text: string) =>
    `consultation:${ref}:response:${item}:${textPrint(text)}`,
  summary: (ref: string) => `consultation:${ref}:summary`,
  weDid: (ref: string, text: string) => `consultation:${ref}:you-said-we-did:${textPrint(text)}`,
};

const userRecipient = (i: Invitee): Recipient => ({
  kind: 'user',
  aadObjectId: i.aadObjectId,
  ...(i.name ? { name: i.name } : {}),
});

/** "6 Mar 2018 10:04" */
function shortWhen(at: Date): string {
  const t = londonDateTime(at);
  return `${formatShortDate(t)} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

export class ConsultationService {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: ConsultDeps) {}

  get store(): ConsultationStore {
    return this.deps.store;
  }

  /** Whether invitations and personal messages can be sent (not in routing tests). */
  get canSend(): boolean {
    return this.deps.messaging !== undefined;
  }

  /** A person's key in the Feedback list, from their Entra id (which is never stored as such). */
  feedbackKeyOf(c: Consultation, aadObjectId: string): string {
    return feedbackKey(c.ref, respondentKey(this.deps.secret, c, aadObjectId));
  }

  /** The status as its viewer may see it; respondents are matched without storing who they are. */
  statusOf(
    c: Consultation,
    feedback: readonly Feedback[],
    opts: { notice?: string; deliveries?: readonly Pick<Delivery, 'recipient' | 'status'>[] } = {},
  ): StatusView {
    return statusView(c, feedback, { now: this.now(), secret: this.deps.secret, ...opts });
  }

  /** Signed download links for a consultation's feedback, valid for an hour from now. */
  exportLinks(baseUrl: string, ref: string): { xlsx: string; csv: string; expiresAt: number } {
    return exportLinks(baseUrl, this.deps.secret, ref, this.now().getTime());
  }

  /**
   * Opens a consultation from the officer's checked form: written once per form (a second click finds
   * the first), then its invitations go out in the background.
   */
  async open(
    draft: NewConsultationDraft,
    how: {
      formKey: string;
      conversationId: string;
      activityId?: string;
      openedBy: string;
      invitees: Invitee[];
    },
  ): Promise<{ consultation: Consultation; created: boolean }> {
    const created = await this.store.create({
      Title: draft.title,
      ...(draft.documentUrl ? { DocumentUrl: draft.documentUrl } : {}),
      Summary: draft.summary,
      Themes: JSON.stringify(draft.themes),
      Questions: JSON.stringify(draft.questions),
      ClosesAt: draft.closesAt.toISOString(),
      Audience: JSON.stringify({ kind: draft.audience }),
      Anonymity: draft.anonymity,
      CountPer: draft.countPer,
      Status: 'Open',
      ConversationId: how.conversationId.slice(0, 255),
      ...(how.activityId ? { ActivityId: how.activityId.slice(0, 255) } : {}),
      OpenedBy: how.openedBy.slice(0, 255),
      Invitees: writeInvitees(how.invitees),
      SourceKey: `consult:${how.formKey}`,
    });
    this.opened(created.consultation, created.created);
    return created;
  }

  /**
   * Writes a person's answers: a new Feedback item (named unless the consultation is anonymous to
   * everyone), or a change to theirs when they, or their other click, already have one.
   */
  async saveAnswers(
    c: Consultation,
    who: { aadObjectId: string; name: string },
    key: string,
    mine: Feedback | undefined,
    set: AnswerSet,
    submit: boolean,
    now: Date,
  ): Promise<Feedback> {
    if (!mine) {
      const respondent = respondentKey(this.deps.secret, c, who.aadObjectId);
      const title = c.anonymity === 'Anonymous to everyone' ? '' : who.name;
      const created = await this.store.createFeedback(
        newFeedbackFields(c, { key, respondentId: respondent, title }, set, submit, now),
      );
      if (created.created) return created.feedback;
      mine = created.feedback; // someone's other click got there first: change that one
    }
    return this.store.updateFeedback(mine.id, (current) => planAnswerChange(current, set, submit, now));
  }

  now(): Date {
    return this.deps.clock();
  }

  /** Runs work after the turn has answered; failures are logged, and the fan-out resumes later. */
  background(what: string, work: () => Promise<unknown>): void {
    const run = work().catch((err: unknown) =>
      this.deps.logger.error({ err }, `${what} failed; it will be resumed`),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Waits until the background work started so far (and any it started) has finished. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private messaging(): ConsultMessaging {
    if (!this.deps.messaging) throw new Error('The messaging layer is not set up');
    return this.deps.messaging;
  }

  /**
   * A consultation just written by "Open": its invitations go out in the background (again for a
   * repeated click, harmlessly: nobody is invited twice), and a new one is a ConsultationOpened.
   */
  opened(c: Consultation, created: boolean): void {
    if (created)
      trackEvent(TELEMETRY_EVENTS.consultationOpened, {
        consultationRef: c.ref,
        invited: c.invitees.length,
        questions: c.questions.length,
        themes: c.themes.length,
        anonymity: c.anonymity,
        countPer: c.countPer,
      });
    if (this.deps.messaging) this.background(`inviting for ${c.ref}`, () => this.invite(c));
  }

  /** Sends each invitee their personal invitation; safe to call again: nobody gets it twice. */
  invite(c: Consultation): Promise<FanOutReport> {
    const view = toView(c, this.now());
    return this.messaging().fanOut({
      campaign: campaigns.invitation(c.ref),
      title: `Consultation ${c.ref} invitation`,
      recipients: c.invitees.map(userRecipient),
      message: (r) => {
        const invitee = c.invitees.find((i) => r.kind === 'user' && i.aadObjectId === r.aadObjectId);
        return {
          card: invitationCard(
            { ...view, refreshFor: invitee?.teamsId ? [invitee.teamsId] : [] },
            invitee?.name ? { name: invitee.name.split(' ')[0] ?? invitee.name } : {},
          ),
        };
      },
    });
  }

  /** The invitation campaign's deliveries as they stand: the officer's status card shows them. */
  invitationDeliveries(c: Consultation): Promise<Delivery[]> {
    return this.messaging().deliveries.forCampaign(campaigns.invitation(c.ref));
  }

  /**
   * An officer's "Send their invitations again": the invitations that Failed or are Unconfirmed go
   * back to Pending (each write carries the ETag, so of two clicks at once only one moves each), and
   * the campaign's fan-out carries on in the background, claiming each before it sends, so nobody
   * gets two from one click. Answers are not looked at: whose invitation is sent again tells
   * nobody who has answered. Returns how many were sent again now.
   */
  async resendInvitations(c: Consultation): Promise<{ requeued: number }> {
    const messaging = this.messaging();
    const campaign = campaigns.invitation(c.ref);
    let requeued = 0;
    for (const d of await messaging.deliveries.forCampaign(campaign)) {
      if (d.status !== 'Failed' && d.status !== 'Unconfirmed') continue;
      try {
        await messaging.deliveries.apply(d, { type: 'requeue' });
        requeued++;
      } catch (err) {
        // Someone else's click (or a send) moved it first: it is not ours to send again.
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    if (requeued)
      this.background(`sending invitations to ${c.ref} again`, () => messaging.resumePending({ campaign }));
    return { requeued };
  }

  /** Invitees who have not submitted (drafts included), for reminders. */
  async notAnswered(c: Consultation): Promise<{ invitee: Invitee; draft: boolean }[]> {
    const feedback = await this.store.feedbackFor(c.ref);
    const byKey = new Map(feedback.map((f) => [f.respondentId, f]));
    return c.invitees.flatMap((invitee) => {
      const f = byKey.get(respondentKey(this.deps.secret, c, invitee.aadObjectId));
      return f?.submitted ? [] : [{ invitee, draft: Boolean(f) }];
    });
  }

  /**
   * Reminds those who have not answered; a campaign per London day, so pressing Remind again (or
   * from two cards) reminds nobody twice that day. Returns how many are reminded now and how many
   * had been already today.
   */
  async remind(c: Consultation): Promise<{ now: number; already: number }> {
    const day = toIsoDate(londonDate(this.now()));
    const campaign = campaigns.reminder(c.ref, day);
    const due = await this.notAnswered(c);
    const sent = new Set(
      (await this.messaging().deliveries.forCampaign(campaign)).map((d) =>
        d.recipient.kind === 'user' ? d.recipient.aadObjectId.toLowerCase() : '',
      ),
    );
    const fresh = due.filter((d) => !sent.has(d.invitee.aadObjectId.toLowerCase()));
    if (fresh.length) {
      const view = toView(c, this.now());
      const drafts = new Set(fresh.filter((d) => d.draft).map((d) => d.invitee.aadObjectId));
      this.background(`reminding for ${c.ref}`, () =>
        this.messaging().fanOut({
          campaign,
          title: `Consultation ${c.ref} reminder, ${day}`,
          recipients: fresh.map((d) => userRecipient(d.invitee)),
          message: (r) => ({
            card: reminderCard({ consultation: view, draft: r.kind === 'user' && drafts.has(r.aadObjectId) }),
          }),
        }),
      );
    }
    return { now: fresh.length, already: due.length - fresh.length };
  }

  /**
   * Stores an officer's initial response on the feedback (dated, with who) and passes it on to the
   * partner. The same words from the same officer again (a double click) change nothing.
   */
  async respond(
    c: Consultation,
    f: Feedback,
    officer: string,
    response: string,
  ): Promise<{ feedback: Feedback; passedOn: boolean; repeated: boolean }> {
    const at = this.now();
    const entryHead = `Initial response from ${officer.replace(/\s+/g, ' ').trim() || 'an officer'}`;
    let repeated = false;
    const updated = await this.store.updateFeedback(f.id, (current) => {
      const already = responsesOf(current).some(
        (r) => r.startsWith(`${entryHead} (`) && r.endsWith(`): ${response}`),
      );
      if (already) {
        repeated = true;
        return undefined;
      }
      const entry = `${entryHead} (${shortWhen(at)}): ${response}`;
      return {
        OfficerResponse: current.officerResponse ? `${current.officerResponse}\n\n${entry}` : entry,
        RespondedBy: officer.slice(0, 255),
      };
    });
    const invitee =
      c.anonymity === 'Anonymous to everyone'
        ? inviteeFor(this.deps.secret, c, f.respondentId)
        : (c.invitees.find((i) => i.aadObjectId.toLowerCase() === f.respondentId) ?? {
            aadObjectId: f.respondentId,
            name: f.name,
          });
    if (!invitee) return { feedback: updated, passedOn: false, repeated };
    const said = f.answers.find((a) => a.answer)?.answer;
    const report = await this.messaging().fanOut({
      campaign: campaigns.response(c.ref, f.id, `${officer}|${response}`),
      title: `Consultation ${c.ref} initial response`,
      recipients: [userRecipient(invitee)],
      message: () => ({
        card: initialResponseCard({
          ref: c.ref,
          title: c.title,
          officer,
          response,
          ...(said ? { said: said.length > 160 ? `${said.slice(0, 159)}…` : said } : {}),
        }),
      }),
    });
    return { feedback: updated, passedOn: report.sent + report.alreadySent > 0, repeated };
  }

  /**
   * Closes it (once, whoever gets there first), then in the background makes every card read-only
   * and posts the summary to the channel (a one-recipient campaign, so it is posted once). The
   * closing that did it is a ConsultationClosed, with how many answered.
   */
  async close(
    c: Consultation,
    by: 'officer' | 'deadline' = 'officer',
  ): Promise<{ consultation: Consultation; already: boolean }> {
    const at = this.now();
    let already = false;
    const closed = await this.store.update(c, (current) => {
      if (current.status === 'Closed') {
        already = true;
        return undefined;
      }
      return { Status: 'Closed', ClosedAt: at.toISOString() };
    });
    this.background(`closing ${c.ref}`, () => this.afterClose(closed, already ? undefined : by));
    return { consultation: closed, already };
  }

  /**
   * Read-only cards and the summary; repeatable (the summary campaign sends once). `closedBy` is
   * given only by the close that closed it, which tracks ConsultationClosed.
   */
  async afterClose(c: Consultation, closedBy?: 'officer' | 'deadline'): Promise<void> {
    const feedback = await this.store.feedbackFor(c.ref);
    if (closedBy) {
      const answered = feedback.filter((f) => f.submitted).length;
      trackEvent(TELEMETRY_EVENTS.consultationClosed, {
        consultationRef: c.ref,
        by: closedBy,
        invited: c.invitees.length,
        answered,
        drafts: feedback.length - answered,
      });
    }
    const messaging = this.messaging();
    const view = toView(c, this.now());
    if (c.conversationId) {
      await messaging.fanOut({
        campaign: campaigns.summary(c.ref),
        title: `Consultation ${c.ref} summary`,
        recipients: [{ kind: 'conversation', conversationId: c.conversationId }],
        message: () => ({ card: summaryCard(summaryView(c, feedback, this.now())) }),
      });
      if (c.activityId) {
        await messaging.messenger
          .update(c.conversationId, c.activityId, { card: closedConsultationCard(view, 'channel') })
          .catch((err: unknown) =>
            this.deps.logger.warn({ err, ref: c.ref }, 'could not mark the channel card closed'),
          );
      }
    }
    const invitations = await messaging.deliveries.forCampaign(campaigns.invitation(c.ref));
    for (const d of invitations) {
      if (d.status !== 'Sent' || !d.activityId || !d.conversationId) continue;
      await messaging.messenger
        .update(d.conversationId, d.activityId, { card: closedConsultationCard(view, 'invitation') })
        .catch((err: unknown) =>
          this.deps.logger.warn({ err, key: d.key }, 'could not mark an invitation closed'),
        );
    }
  }

  /**
   * The deadline: closes every open consultation whose time has come, and carries on invitations a
   * crash left unplanned. Run by the scheduler's tick; safe on several instances at once.
   */
  async tick(): Promise<{ closed: string[] }> {
    const now = this.now();
    const closed: string[] = [];
    for (const c of await this.store.open()) {
      if (Date.parse(c.closesAt) <= now.getTime()) {
        const result = await this.close(c, 'deadline');
        if (!result.already) closed.push(c.ref);
        continue;
      }
      if (!this.deps.messaging) continue;
      const planned = await this.deps.messaging.deliveries.forCampaign(campaigns.invitation(c.ref));
      if (planned.length < c.invitees.length) this.background(`inviting for ${c.ref}`, () => this.invite(c));
    }
    return { closed };
  }

  /** Records "you said, we did", posts it to the channel and tells each partner who answered. */
  async weDid(
    c: Consultation,
    record: Omit<WeDid, 'at' | 'by'>,
    by: string,
  ): Promise<{ consultation: Consultation; told: number }> {
    const at = this.now();
    const stored: WeDid = { at: at.toISOString(), by, ...record };
    const updated = await this.store.update(c, () => ({ YouSaidWeDid: JSON.stringify(stored) }));
    const feedback = await this.store.feedbackFor(c.ref);
    const told = feedback
      .filter((f) => f.submitted)
      .map((f) =>
        c.anonymity === 'Anonymous to everyone'
          ? inviteeFor(this.deps.secret, c, f.respondentId)
          : (c.invitees.find((i) => i.aadObjectId.toLowerCase() === f.respondentId) ?? {
              aadObjectId: f.respondentId,
              name: f.name,
            }),
      )
      .filter((i): i is Invitee => Boolean(i?.aadObjectId));
    const card = weDidCard({
      consultation: toView(updated, at),
      ...(record.general ? { general: record.general } : {}),
      themes: record.themes,
      by,
      when: whenLabel(at),
    });
    const campaign = campaigns.weDid(c.ref, JSON.stringify(record));
    const recipients: Recipient[] = [
      ...(c.conversationId ? [{ kind: 'conversation' as const, conversationId: c.conversationId }] : []),
      ...told.map(userRecipient),
    ];
    this.background(`telling partners what changed in ${c.ref}`, () =>
      this.messaging().fanOut({
        campaign,
        title: `Consultation ${c.ref}: you said, we did`,
        recipients,
        message: () => ({ card }),
      }),
    );
    return { consultation: updated, told: told.length };
  }
}
