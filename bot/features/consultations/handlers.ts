import { shortKey } from '../../keys.js';
import type {
  ConsultAnswersData,
  ConsultNewFormData,
  ConsultWeDidData,
} from '../../../cards/consult-verbs.js';
import { newFormKey } from '../../../cards/consult-verbs.js';
import {
  answerFormCard,
  closedConsultationCard,
  consultationCard,
  invitationCard,
  noticeCard,
  receiptCard,
} from '../../../cards/consult.js';
import { newConsultationFormCard } from '../../../cards/consult-form.js';
import { exportCard, statusCard, weDidCard, weDidFormCard } from '../../../cards/consult-follow.js';
import { cardBytes, CARD_BUDGET_BYTES, type AdaptiveCard } from '../../../cards/adaptive.js';
import { execute } from '../../../cards/verbs.js';
import { londonDate, toIsoDate } from '../../dates/london.js';
import type { Logger } from '../../logger.js';
import type { Delivery, Recipient } from '../../messaging/index.js';
import type { OutgoingMessage, RosterMember, Turn, VerbOutcome } from '../../routing/types.js';
import { answerSetOf, formPrint, newFeedbackFields, planAnswerChange, readAnswers } from './answers.js';
import { feedbackKey, keepsOrganisation, namesInExports, respondentKey } from './anonymity.js';
import { exportLinks } from './export.js';
import { defaultFormValues, formValuesOf, readNewConsultationForm, type FormProblems } from './form.js';
import { isClosed, LIMITS, writeInvitees, type Consultation, type Feedback, type Invitee } from './model.js';
import type { ConsultationService } from './service.js';
import { myState, statusView, toView, whenLabel } from './views.js';

/**
 * What each command and card button does, from a Turn to a reply or a card. The router has already
 * checked the role; here the consultation's own rules apply: only invitees answer, nothing changes
 * after the deadline, names follow the anonymity chosen, and anything with names or a download
 * link goes to the person's personal chat, never to a channel.
 */

export interface HandlerDeps {
  service: ConsultationService;
  logger: Logger;
  /** Configured officers (Entra ids or UPNs, lower case): they run consultations, not answer them. */
  officers: readonly string[];
  /** Where export links point: the bot's public address. */
  baseUrl: () => string;
  /** Sends one message to a person's personal chat (the messaging layer's paced single send). */
  deliver?: (recipient: Recipient, message: OutgoingMessage) => Promise<unknown>;
}

export const LISTS_DOWN =
  'The consultation lists are not answering just now, so nothing was changed. Please try again in a few minutes.';

const NO_CONSULTATION =
  'There is no open consultation. Officers open one by typing "consult new" in the board\'s channel.';

type Found = { consultation: Consultation } | { message: string };

export class ConsultHandlers {
  constructor(private readonly d: HandlerDeps) {}

  private get service(): ConsultationService {
    return this.d.service;
  }

  private now(): Date {
    return this.service.now();
  }

  /** The consultation a command or button means: by reference, else the newest open (or newest). */
  async find(ref: string | undefined, prefer: 'open' | 'any' = 'open'): Promise<Found> {
    if (ref) {
      const c = await this.service.store.get(ref);
      return c
        ? { consultation: c }
        : { message: `I can't find consultation ${ref}. Type "consult" to see the open one.` };
    }
    const recent = await this.service.store.recent();
    const open = recent.find((c) => !isClosed(c, this.now()));
    const chosen = open ?? (prefer === 'any' ? recent[0] : undefined);
    return chosen ? { consultation: chosen } : { message: NO_CONSULTATION };
  }

  private keyOf(c: Consultation, turn: Turn): string | undefined {
    const aad = turn.actor.aadObjectId;
    return aad ? feedbackKey(c.ref, respondentKey(this.service.deps.secret, c, aad)) : undefined;
  }

  private async mine(c: Consultation, turn: Turn): Promise<Feedback | undefined> {
    const key = this.keyOf(c, turn);
    return key ? this.service.store.feedbackByKey(key) : undefined;
  }

  private invited(c: Consultation, turn: Turn): boolean {
    const aad = turn.actor.aadObjectId?.toLowerCase();
    return Boolean(aad && c.invitees.some((i) => i.aadObjectId.toLowerCase() === aad));
  }

  private notInvited(c: Consultation): string {
    return `Consultation ${c.ref} was sent to ${c.invitees.length} ${c.invitees.length === 1 ? 'person' : 'people'} and you are not among them. If you should be, ask ${c.openedBy || "one of the board's officers"}, who opened it.`;
  }

  /**
   * Names and download links never go to a channel: there, they go to the person's personal chat
   * and the channel hears only that they did.
   */
  async privately(turn: Turn, message: OutgoingMessage, what: string): Promise<string | undefined> {
    if (turn.where.type === 'personal') {
      await turn.reply(message);
      return undefined;
    }
    const aad = turn.actor.aadObjectId;
    if (!aad || !this.d.deliver)
      return `I can only show ${what} in our personal chat: open a chat with me and ask there.`;
    try {
      await this.d.deliver({ kind: 'user', aadObjectId: aad, name: turn.actor.name }, message);
      return `I've sent you ${what} in our personal chat.`;
    } catch (err) {
      this.d.logger.warn({ err }, 'could not send to a personal chat');
      return `I could not reach our personal chat to send you ${what}. Open a chat with me and ask there.`;
    }
  }

  // ── opening ──

  newForm(turn: Turn): OutgoingMessage {
    if (turn.where.type !== 'channel')
      return {
        text: 'Open a consultation from the board\'s channel, so its card and the "this channel\'s members" audience are there: @mention me with "consult new".',
      };
    return {
      card: newConsultationFormCard({
        key: shortKey(turn.where.conversationId, turn.activityId ?? String(this.now().getTime())),
        values: defaultFormValues(),
        minDate: toIsoDate(londonDate(this.now())),
      }),
    };
  }

  /** Who is asked, from the channel's roster: everyone but the officers, or the people named. */
  audience(
    kind: 'channel' | 'people' | 'team',
    typed: readonly string[],
    roster: readonly RosterMember[],
    opener: string | undefined,
  ): { invitees: Invitee[]; problem?: string } {
    const isOfficer = (m: RosterMember) =>
      [m.aadObjectId, m.email, m.upn].some((k) => k && this.d.officers.includes(k.toLowerCase())) ||
      (opener !== undefined && m.aadObjectId?.toLowerCase() === opener.toLowerCase());
    const reachable = roster.filter((m) => m.aadObjectId);
    const toInvitee = (m: RosterMember): Invitee => ({
      aadObjectId: m.aadObjectId!,
      name: m.name,
      ...(m.id ? { teamsId: m.id } : {}),
    });
    if (kind !== 'people') {
      const invitees = reachable.filter((m) => !isOfficer(m)).map(toInvitee);
      return invitees.length
        ? { invitees }
        : { invitees, problem: 'Nobody in this channel besides the officers could be asked.' };
    }
    const norm = (s: string) =>
      s
        .toLowerCase()
        .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
        .trim();
    const chosen = new Map<string, Invitee>();
    const unknown: string[] = [];
    const ambiguous: string[] = [];
    for (const name of typed) {
      const n = norm(name);
      const byName = reachable.filter(
        (m) => norm(m.name) === n || norm(m.email ?? '') === n || norm(m.upn ?? '') === n,
      );
      const matches = byName.length ? byName : reachable.filter((m) => norm(m.name).split(' ').includes(n));
      if (matches.length === 1) chosen.set(matches[0]!.aadObjectId!, toInvitee(matches[0]!));
      else if (matches.length > 1) ambiguous.push(name);
      else unknown.push(name);
    }
    if (unknown.length)
      return {
        invitees: [],
        problem: `I can't find ${unknown.map((u) => `"${u}"`).join(', ')} in this channel. Use their names as Teams shows them.`,
      };
    if (ambiguous.length)
      return {
        invitees: [],
        problem: `More than one person is called ${ambiguous.map((u) => `"${u}"`).join(', ')}: give the full name.`,
      };
    return { invitees: [...chosen.values()] };
  }

  async open(data: ConsultNewFormData, turn: Turn): Promise<VerbOutcome> {
    const now = this.now();
    const reshow = (problems: FormProblems): VerbOutcome => ({
      kind: 'card',
      card: newConsultationFormCard({
        key: newFormKey(data),
        values: formValuesOf(data),
        problems,
        minDate: toIsoDate(londonDate(now)),
      }),
    });
    if (turn.where.type !== 'channel')
      return {
        kind: 'message',
        message: 'Open consultations from the board\'s channel: @mention me there with "consult new".',
      };
    const read = readNewConsultationForm(data, now);
    if ('problems' in read) return reshow(read.problems);
    const draft = read.draft;
    let roster: RosterMember[];
    try {
      roster = await turn.roster();
    } catch (err) {
      this.d.logger.warn({ err }, 'could not read the roster for a consultation');
      return {
        kind: 'message',
        message:
          "I could not read this channel's members just now, so nothing was opened. Please press Open again in a minute.",
      };
    }
    const audience = this.audience(draft.audience, draft.people, roster, turn.actor.aadObjectId);
    if (audience.problem)
      return reshow(
        draft.audience === 'people' ? { people: audience.problem } : { audience: audience.problem },
      );
    if (audience.invitees.length > LIMITS.audience)
      return reshow({
        audience: `That is ${audience.invitees.length} people; a consultation can invite at most ${LIMITS.audience}. Choose people instead.`,
      });
    let created;
    try {
      created = await this.service.store.create({
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
        ConversationId: turn.where.conversationId.slice(0, 255),
        ...(turn.replyToId ? { ActivityId: turn.replyToId.slice(0, 255) } : {}),
        OpenedBy: turn.actor.name.slice(0, 255),
        Invitees: writeInvitees(audience.invitees),
        SourceKey: `consult:${newFormKey(data)}`,
      });
    } catch (err) {
      this.d.logger.error({ err }, 'opening a consultation failed');
      return {
        kind: 'message',
        message:
          'The consultation was NOT opened: the Consultations list is not answering. Press Open again in a few minutes; it will not be opened twice.',
      };
    }
    const c = created.consultation;
    this.service.opened(c, created.created);
    const count = c.invitees.length;
    return {
      kind: 'card',
      card: consultationCard(toView(c, now), {
        notice: created.created
          ? `Opened. Personal invitations are on their way to ${count} ${count === 1 ? 'person' : 'people'}.`
          : 'This consultation is already open; nothing was opened twice.',
      }),
    };
  }

  // ── answering ──

  private formCard(
    c: Consultation,
    answers: Feedback | undefined,
    extra: {
      problems?: string[];
      notice?: string;
      values?: ReturnType<typeof answerSetOf>;
      organisation?: string;
    } = {},
  ): AdaptiveCard {
    const values = extra.values ?? answerSetOf(answers);
    return answerFormCard({
      consultation: toView(c, this.now()),
      print: formPrint(c),
      ...(values ? { answers: values } : {}),
      askOrganisation: keepsOrganisation(c),
      ...(extra.organisation ? { organisation: extra.organisation } : {}),
      ...(extra.problems ? { problems: extra.problems } : {}),
      ...(extra.notice ? { notice: extra.notice } : {}),
      limits: { answer: LIMITS.answer, comment: LIMITS.comment, organisation: LIMITS.organisation },
    });
  }

  private closedFor(
    c: Consultation,
    mine: Feedback | undefined,
    view: 'channel' | 'invitation',
  ): AdaptiveCard {
    return closedConsultationCard(toView(c, this.now()), view, myState(mine));
  }

  async answerForm(ref: string, turn: Turn): Promise<VerbOutcome> {
    const c = await this.service.store.get(ref);
    if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
    if (!this.invited(c, turn)) return { kind: 'message', message: this.notInvited(c) };
    const mine = await this.mine(c, turn);
    if (isClosed(c, this.now())) return { kind: 'card', card: this.closedFor(c, mine, 'invitation') };
    let organisation: string | undefined;
    if (!mine && keepsOrganisation(c) && c.anonymity !== 'Anonymous to everyone' && turn.actor.aadObjectId)
      organisation = await this.service.store
        .lastOrganisation(turn.actor.aadObjectId.toLowerCase())
        .catch(() => undefined);
    const card = this.formCard(c, mine, {
      ...(organisation ? { organisation } : {}),
      ...(mine && !mine.submitted
        ? { notice: `Your draft from ${whenLabel(mine.answeredAt)} is below.` }
        : {}),
    });
    if (turn.where.type === 'personal') return { kind: 'card', card };
    const said = await this.privately(turn, { card }, 'your answer form');
    return { kind: 'message', message: said ?? 'Your answer form is in our personal chat.' };
  }

  async saveAnswers(data: ConsultAnswersData, turn: Turn, submit: boolean): Promise<VerbOutcome> {
    const now = this.now();
    const c = await this.service.store.get(data.ref);
    if (!c)
      return { kind: 'message', message: `Consultation ${data.ref} no longer exists, so nothing was saved.` };
    if (!this.invited(c, turn)) return { kind: 'message', message: this.notInvited(c) };
    const key = this.keyOf(c, turn);
    if (!key)
      return {
        kind: 'message',
        message:
          "I can't tell who you are from this card, so nothing was saved. Open the form from your invitation.",
      };
    const mine = await this.service.store.feedbackByKey(key);
    if (isClosed(c, now)) {
      const closedCard = this.closedFor(c, mine, 'invitation');
      return {
        kind: 'card',
        card: {
          ...closedCard,
          body: [
            {
              type: 'TextBlock',
              text: `Sorry, consultation ${c.ref} closed on ${whenLabel(c.closedAt ?? c.closesAt)}, so these answers could not be saved. Nothing was changed.`,
              wrap: true,
              weight: 'Bolder',
              color: 'Attention',
            },
            ...closedCard.body,
          ],
        },
      };
    }
    if (data.fp !== formPrint(c))
      return {
        kind: 'card',
        card: this.formCard(c, mine, {
          notice: `That form was from another consultation, or an earlier version of ${c.ref}, so nothing was saved. Here is the form for ${c.ref}.`,
        }),
      };
    const { set, problems } = readAnswers(c, data, submit);
    if (problems.length) return { kind: 'card', card: this.formCard(c, mine, { problems, values: set }) };
    const preview = this.formCard(c, mine, { values: set });
    if (cardBytes(preview) > CARD_BUDGET_BYTES)
      return {
        kind: 'card',
        card: this.formCard(c, mine, {
          problems: [
            'Your answers together are too long to fit in one Teams card. Shorten the longest, or link a document in your answer for the rest.',
          ],
        }),
      };
    let saved: Feedback;
    try {
      saved = await this.write(c, turn, key, mine, set, submit, now);
    } catch (err) {
      this.d.logger.error({ err, ref: c.ref }, 'saving consultation answers failed');
      return { kind: 'card', card: this.formCard(c, mine, { values: set, problems: [LISTS_DOWN] }) };
    }
    return {
      kind: 'card',
      card: receiptCard({
        consultation: toView(c, now),
        submitted: saved.submitted,
        when: whenLabel(saved.answeredAt ?? now.toISOString()),
        answers: answerSetOf(saved) ?? set,
        responses: myState(saved).responses ?? [],
        ...(saved.submitted && mine?.submitted
          ? { notice: 'Your changes are recorded; your earlier answers are kept in the history.' }
          : {}),
        ...(c.countPer === 'Organisation' && saved.submitted && saved.organisation
          ? {
              notice: `One answer counts per organisation: this, the latest from ${saved.organisation}, is the one that counts.`,
            }
          : {}),
      }),
    };
  }

  private async write(
    c: Consultation,
    turn: Turn,
    key: string,
    mine: Feedback | undefined,
    set: NonNullable<ReturnType<typeof answerSetOf>>,
    submit: boolean,
    now: Date,
  ): Promise<Feedback> {
    const store = this.service.store;
    if (!mine) {
      const respondent = respondentKey(this.service.deps.secret, c, turn.actor.aadObjectId ?? '');
      const title = c.anonymity === 'Anonymous to everyone' ? '' : turn.actor.name;
      const created = await store.createFeedback(
        newFeedbackFields(c, { key, respondentId: respondent, title }, set, submit, now),
      );
      if (created.created) return created.feedback;
      mine = created.feedback; // someone's other click got there first: change that one
    }
    return store.updateFeedback(mine.id, (current) => planAnswerChange(current, set, submit, now));
  }

  async refresh(ref: string, view: 'channel' | 'invitation', turn: Turn): Promise<VerbOutcome> {
    const c = await this.service.store.get(ref);
    if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
    const mine = this.invited(c, turn) ? await this.mine(c, turn) : undefined;
    const vm = toView(c, this.now());
    if (isClosed(c, this.now()))
      return { kind: 'card', card: closedConsultationCard(vm, view, mine ? myState(mine) : undefined) };
    const state = this.invited(c, turn) ? myState(mine) : undefined;
    if (view === 'channel')
      return {
        kind: 'card',
        card: consultationCard(vm, {
          ...(state ? { state: { state: state.state, ...(state.when ? { when: state.when } : {}) } } : {}),
        }),
      };
    if (mine?.submitted)
      return {
        kind: 'card',
        card: receiptCard({
          consultation: vm,
          submitted: true,
          when: whenLabel(mine.answeredAt),
          answers: answerSetOf(mine)!,
          responses: myState(mine).responses ?? [],
        }),
      };
    return { kind: 'card', card: invitationCard(vm, { ...(state ? { state } : {}) }) };
  }

  /** "consult" / "consult C-0003": the consultation as its viewer should see it. */
  async show(ref: string | undefined, turn: Turn): Promise<OutgoingMessage> {
    const found = await this.find(ref, 'any');
    if ('message' in found) return { text: found.message };
    const c = found.consultation;
    const outcome = await this.refresh(
      c.ref,
      turn.where.type === 'personal' ? 'invitation' : 'channel',
      turn,
    );
    return outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message };
  }

  // ── following ──

  /**
   * The status card as its viewer may see it: an officer's also says how the invitations went (who
   * may not have got one, with the button to send theirs again); a chair's does not.
   */
  async statusCardFor(c: Consultation, turn: Turn, notice?: string): Promise<AdaptiveCard> {
    const feedback = await this.service.store.feedbackFor(c.ref);
    const deliveries = turn.actor.role === 'officer' ? await this.invitationDeliveries(c) : undefined;
    return statusCard(
      statusView(c, feedback, {
        now: this.now(),
        secret: this.service.deps.secret,
        ...(notice ? { notice } : {}),
        ...(deliveries ? { deliveries } : {}),
      }),
    );
  }

  /** The invitations' deliveries; if the log cannot be read, the status is shown without them. */
  private async invitationDeliveries(c: Consultation): Promise<Delivery[] | undefined> {
    if (!this.service.deps.messaging) return undefined;
    try {
      return await this.service.invitationDeliveries(c);
    } catch (err) {
      this.d.logger.warn({ err, ref: c.ref }, 'could not read the invitations for a status card');
      return undefined;
    }
  }

  /** A status card in place on the status card (personal chat), or privately from a channel. */
  async statusOutcome(ref: string, turn: Turn, notice?: string): Promise<VerbOutcome> {
    const c = await this.service.store.get(ref);
    if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
    const card = await this.statusCardFor(c, turn, notice);
    if (turn.where.type === 'personal') return { kind: 'card', card };
    return {
      kind: 'message',
      message: (await this.privately(turn, { card }, `the status of ${c.ref}`)) ?? '',
    };
  }

  async remind(c: Consultation): Promise<string> {
    if (isClosed(c, this.now())) return `${c.ref} has closed, so nobody was reminded.`;
    const r = await this.service.remind(c);
    if (!r.now && !r.already) return `Everyone invited to ${c.ref} has answered. Nobody needs a reminder.`;
    const parts = [];
    if (r.now)
      parts.push(
        `Reminders are on their way to ${r.now} ${r.now === 1 ? 'person' : 'people'} who have not answered.`,
      );
    if (r.already)
      parts.push(
        `${r.already} ${r.already === 1 ? 'was' : 'were'} already reminded today and will not be reminded again until tomorrow.`,
      );
    return parts.join(' ');
  }

  /**
   * "Send their invitations again" on the officer's status card: the invitations that failed or may
   * not have arrived are sent once more (nobody gets two from one click), then the status again.
   */
  async resend(ref: string, turn: Turn): Promise<VerbOutcome> {
    const c = await this.service.store.get(ref);
    if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
    if (isClosed(c, this.now()))
      return this.statusOutcome(
        ref,
        turn,
        `${c.ref} closed on ${whenLabel(c.closedAt ?? c.closesAt)}, so no invitations were sent again.`,
      );
    const { requeued } = await this.service.resendInvitations(c);
    const notice = requeued
      ? `Sending ${requeued} ${requeued === 1 ? 'invitation' : 'invitations'} again, once each. Press Refresh in a minute to see ${requeued === 1 ? 'it' : 'them'} delivered.`
      : `No invitations to ${c.ref} are waiting to be sent again, so nothing was sent.`;
    return this.statusOutcome(ref, turn, notice);
  }

  async respond(ref: string, item: string, response: string | undefined, turn: Turn): Promise<VerbOutcome> {
    const text = (response ?? '').trim();
    if (!text) return { kind: 'message', message: 'Write the initial response first; nothing was sent.' };
    if (text.length > LIMITS.response)
      return {
        kind: 'message',
        message: `That response is ${text.length.toLocaleString('en-GB')} characters; keep it to ${LIMITS.response.toLocaleString('en-GB')}. Nothing was sent.`,
      };
    const c = await this.service.store.get(ref);
    if (!c) return { kind: 'message', message: `Consultation ${ref} no longer exists.` };
    const f = await this.service.store.feedbackById(item);
    if (!f || f.ref !== c.ref)
      return {
        kind: 'message',
        message: `That feedback is not part of ${c.ref} (the card may be from another consultation), so nothing was sent.`,
      };
    const result = await this.service.respond(c, f, turn.actor.name, text);
    const to =
      c.anonymity === 'Anonymous to everyone' ? 'the partner (who stays anonymous)' : f.name || 'the partner';
    const notice = result.repeated
      ? 'That response was already sent; it was not sent twice.'
      : result.passedOn
        ? `Your initial response was sent to ${to} and saved with their feedback.`
        : `Your initial response was saved with the feedback, but I could not reach ${to} in Teams just now; it will be retried.`;
    return { kind: 'card', card: await this.statusCardFor(c, turn, notice) };
  }

  async close(c: Consultation): Promise<{ message: string; consultation: Consultation }> {
    if (c.status === 'Closed')
      return {
        message: `${c.ref} was already closed on ${whenLabel(c.closedAt ?? c.closesAt)}.`,
        consultation: c,
      };
    const { consultation, already } = await this.service.close(c);
    return {
      message: already
        ? `${c.ref} was already closed on ${whenLabel(consultation.closedAt ?? consultation.closesAt)}.`
        : `${c.ref} is closed. Every card now says so, and the summary is going to the channel. Type "consult export" for the feedback, and "consult you said we did" when the final strategy is agreed.`,
      consultation,
    };
  }

  exportMessage(c: Consultation, rows: number): OutgoingMessage {
    const now = this.now();
    const links = exportLinks(this.d.baseUrl(), this.service.deps.secret, c.ref, now.getTime());
    return {
      card: exportCard({
        ref: c.ref,
        title: c.title,
        xlsx: links.xlsx,
        csv: links.csv,
        expires: whenLabel(new Date(links.expiresAt)),
        anonymous: !namesInExports(c.anonymity),
        rows,
      }),
    };
  }

  async exportOutcome(c: Consultation, turn: Turn): Promise<string | undefined> {
    const rows = (await this.service.store.feedbackFor(c.ref)).length;
    return this.privately(turn, this.exportMessage(c, rows), `the export of ${c.ref}`);
  }

  async weDidForm(c: Consultation): Promise<VerbOutcome> {
    if (!isClosed(c, this.now()))
      return {
        kind: 'message',
        message: `${c.ref} is still open. Close it first ("consult close"), then record what changed.`,
      };
    const responses = (await this.service.store.feedbackFor(c.ref)).filter((f) => f.submitted).length;
    const values = c.weDid
      ? {
          ...(c.weDid.general ? { general: c.weDid.general } : {}),
          themes: c.themes.map((t) => c.weDid?.themes.find((x) => x.theme === t)?.text ?? ''),
        }
      : { themes: [] };
    return {
      kind: 'card',
      card: weDidFormCard({ consultation: toView(c, this.now()), values, max: LIMITS.weDid, responses }),
    };
  }

  async weDidSave(data: ConsultWeDidData, turn: Turn): Promise<VerbOutcome> {
    const c = await this.service.store.get(data.ref);
    if (!c) return { kind: 'message', message: `Consultation ${data.ref} no longer exists.` };
    if (!isClosed(c, this.now()))
      return {
        kind: 'message',
        message: `${c.ref} is still open. Close it first, then record what changed.`,
      };
    const field = (name: string) => ((data as Record<string, string | undefined>)[name] ?? '').trim();
    const themes = c.themes.map((theme, i) => ({ theme, text: field(`w${i + 1}`) }));
    const general = field('general');
    const problems: string[] = [];
    for (const t of themes)
      if (t.text.length > LIMITS.weDid)
        problems.push(
          `What changed for "${t.theme}" is ${t.text.length} characters; keep it to ${LIMITS.weDid}.`,
        );
    if (general.length > LIMITS.weDid)
      problems.push(`"Anything else" is ${general.length} characters; keep it to ${LIMITS.weDid}.`);
    if (!general && themes.every((t) => !t.text)) problems.push('Say what changed for at least one theme.');
    if (problems.length) {
      const responses = (await this.service.store.feedbackFor(c.ref)).filter((f) => f.submitted).length;
      return {
        kind: 'card',
        card: weDidFormCard({
          consultation: toView(c, this.now()),
          values: { general, themes: themes.map((t) => t.text) },
          problems,
          max: LIMITS.weDid,
          responses,
        }),
      };
    }
    const kept = themes.filter((t) => t.text);
    const result = await this.service.weDid(
      c,
      { ...(general ? { general } : {}), themes: kept },
      turn.actor.name,
    );
    const card = weDidCard({
      consultation: toView(result.consultation, this.now()),
      ...(general ? { general } : {}),
      themes: kept,
      by: turn.actor.name,
      when: whenLabel(this.now()),
    });
    return {
      kind: 'card',
      card: {
        ...card,
        body: [
          {
            type: 'TextBlock',
            text: `Sent to the ${result.told} ${result.told === 1 ? 'partner' : 'partners'} who answered, and posted to the channel.`,
            wrap: true,
            weight: 'Bolder',
          },
          ...card.body,
        ],
      },
    };
  }

  /** The officer's buttons for a command's answer when it has no card of its own. */
  followUp(c: Consultation): AdaptiveCard {
    return noticeCard(
      `Consultation ${c.ref}`,
      [c.title],
      [execute('consultStatus', 'Status', { ref: c.ref }, { associatedInputs: 'none' })],
    );
  }
}
