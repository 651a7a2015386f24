import type { AnswerView, ConsultationView, MyState } from '../../../cards/consult.js';
import type {
  FeedbackEntry,
  InvitationDeliveries,
  PersonStatus,
  StatusView,
  SummaryView,
  ThemeCount,
} from '../../../cards/consult-follow.js';
import { cut } from '../../../cards/text.js';
import { formatLongDate, londonDateTime, toIsoDate } from '../../dates/london.js';
import type { Delivery } from '../../messaging/index.js';
import { describeAnonymity, keepsOrganisation, namesVisibleToOfficers, respondentKey } from './anonymity.js';
import { LIMITS, organisationKey, type Consultation, type Feedback } from './model.js';

/** Records as the cards show them: London dates in words, counts, and who may be named. */

/** "Friday 9 March 2018 at 17:00", in London. */
export function whenLabel(iso: string | Date | undefined): string {
  if (!iso) return '';
  const at = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return '';
  const t = londonDateTime(at);
  return `${formatLongDate(toIsoDate(t))} at ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

export function toView(c: Consultation, now: Date): ConsultationView {
  const closedAt =
    c.closedAt ?? (c.status === 'Closed' || Date.parse(c.closesAt) <= now.getTime() ? c.closesAt : undefined);
  return {
    ref: c.ref,
    title: c.title,
    summary: c.summary,
    ...(c.documentUrl ? { documentUrl: c.documentUrl } : {}),
    themes: c.themes,
    questions: c.questions,
    closes: whenLabel(c.closesAt),
    ...(closedAt ? { closed: `Closed on ${whenLabel(closedAt)}` } : {}),
    anonymity: describeAnonymity(c.anonymity).split(':')[0] ?? c.anonymity,
    countPer: c.countPer,
    openedBy: c.openedBy,
    refreshFor: c.invitees.flatMap((i) => (i.teamsId ? [i.teamsId] : [])),
  };
}

export function answerViewOf(f: Feedback): AnswerView {
  return {
    ...(f.organisation ? { organisation: f.organisation } : {}),
    answers: f.answers,
    themes: f.themes,
  };
}

/** The dated initial responses kept on an item, one entry each. */
export function responsesOf(f: Pick<Feedback, 'officerResponse'>): string[] {
  return (f.officerResponse ?? '')
    .split(/\n\n(?=Initial response from )/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function myState(f: Feedback | undefined): MyState {
  if (!f) return { state: 'none' };
  return {
    state: f.submitted ? 'submitted' : 'draft',
    ...(f.answeredAt ? { when: whenLabel(f.answeredAt) } : {}),
    answers: answerViewOf(f),
    responses: responsesOf(f),
  };
}

/** On one line, cut to `max`. */
function flatCut(s: string, max: number): string {
  return cut(s.replace(/\s+/g, ' ').trim(), max);
}

/**
 * The submitted answers that count: every one per person; per organisation, the latest submitted
 * answer from each organisation (an answer without an organisation counts on its own).
 */
/** Later by when it was answered; on the same instant, the item created later. */
function later(a: Feedback, b: Feedback): boolean {
  const at = (a.answeredAt ?? '').localeCompare(b.answeredAt ?? '');
  return at !== 0 ? at > 0 : Number(a.id) > Number(b.id);
}

export function countedIds(c: Pick<Consultation, 'countPer'>, feedback: readonly Feedback[]): Set<string> {
  const submitted = feedback.filter((f) => f.submitted);
  if (c.countPer !== 'Organisation') return new Set(submitted.map((f) => f.id));
  const latest = new Map<string, Feedback>();
  for (const f of submitted) {
    const key = f.organisation ? organisationKey(f.organisation) : `item:${f.id}`;
    const held = latest.get(key);
    if (!held || later(f, held)) latest.set(key, f);
  }
  return new Set([...latest.values()].map((f) => f.id));
}

export function themeCounts(c: Pick<Consultation, 'themes'>, counted: readonly Feedback[]): ThemeCount[] {
  return c.themes.map((theme, i) => {
    const ratings = counted.map((f) => f.themes[i]?.rating);
    return {
      theme,
      helps: ratings.filter((r) => r === 'Helps').length,
      partly: ratings.filter((r) => r === 'Partly').length,
      doesNotHelp: ratings.filter((r) => r === 'Does not help').length,
    };
  });
}

/** How the status card names the author of a piece of feedback. */
function authorOf(c: Consultation, f: Feedback): string {
  if (namesVisibleToOfficers(c.anonymity)) {
    const name = f.name || 'Someone';
    return f.organisation ? `${name}, ${f.organisation}` : name;
  }
  return c.countPer === 'Organisation' && f.organisation ? f.organisation : 'A partner';
}

/**
 * How each invitee's personal invitation went, from the invitation campaign's deliveries. It reads
 * the delivery log only, never the feedback, so even under "anonymous to everyone" it tells the
 * officer nothing about who answered: whose invitation failed is not whose answer is in.
 */
export function invitationDeliveries(
  c: Pick<Consultation, 'invitees'>,
  deliveries: readonly Pick<Delivery, 'recipient' | 'status'>[],
): InvitationDeliveries {
  const byPerson = new Map<string, Delivery['status']>();
  for (const d of deliveries)
    if (d.recipient.kind === 'user') byPerson.set(d.recipient.aadObjectId.trim().toLowerCase(), d.status);
  const out: InvitationDeliveries = { delivered: 0, notArrived: [], sending: [] };
  for (const i of c.invitees) {
    const name = i.name.trim() || 'Someone';
    // Not on the log yet: the invitations are still being planned (the next scheduler tick finishes them).
    switch (byPerson.get(i.aadObjectId.trim().toLowerCase()) ?? 'Pending') {
      case 'Sent':
        out.delivered++;
        break;
      case 'Failed':
      case 'Unconfirmed':
        out.notArrived.push(name);
        break;
      case 'Pending':
      case 'Sending':
        out.sending.push(name);
        break;
    }
  }
  return out;
}

export function statusView(
  c: Consultation,
  feedback: readonly Feedback[],
  opts: {
    now: Date;
    secret: string;
    notice?: string;
    /** The invitation campaign's deliveries, for an officer's card; absent for anyone else. */
    deliveries?: readonly Pick<Delivery, 'recipient' | 'status'>[];
  },
): StatusView {
  const byKey = new Map(feedback.map((f) => [f.respondentId, f]));
  const counted = countedIds(c, feedback);
  const countedItems = feedback.filter((f) => counted.has(f.id));
  const stateOf = (f: Feedback | undefined): PersonStatus['state'] =>
    !f ? 'none' : f.submitted ? 'submitted' : 'draft';
  const invitedStates = c.invitees.map((i) => {
    const f = byKey.get(respondentKey(opts.secret, c, i.aadObjectId));
    return { invitee: i, feedback: f, state: stateOf(f) };
  });
  const named = namesVisibleToOfficers(c.anonymity);
  const people: PersonStatus[] | undefined = named
    ? invitedStates.map(({ invitee, feedback: f, state }) => ({
        label: invitee.name || 'Someone',
        ...(f?.organisation ? { organisation: f.organisation } : {}),
        state,
      }))
    : undefined;
  const orgs = new Map<string, { name: string; people: number }>();
  if (keepsOrganisation(c) && (named || c.countPer === 'Organisation')) {
    for (const f of feedback.filter((x) => x.submitted && x.organisation)) {
      const k = organisationKey(f.organisation!);
      const held = orgs.get(k);
      orgs.set(k, { name: held?.name ?? f.organisation!, people: (held?.people ?? 0) + 1 });
    }
  }
  const submitted = feedback
    .filter((f) => f.submitted)
    .sort((a, b) => (b.answeredAt ?? '').localeCompare(a.answeredAt ?? ''));
  const entries: FeedbackEntry[] = submitted.map((f) => ({
    item: f.id,
    who: authorOf(c, f),
    when: whenLabel(f.answeredAt),
    quotes: [
      ...f.answers
        .filter((a) => a.answer)
        .map((a) => ({
          label: `Q${c.questions.indexOf(a.question) + 1 || '?'}`,
          text: flatCut(a.answer, 300),
        })),
      ...f.themes
        .filter((t) => t.comment)
        .slice(0, 4)
        .map((t) => ({
          label: `${flatCut(t.theme, 40)} (${t.rating ?? 'no rating'})`,
          text: flatCut(t.comment, 200),
        })),
    ],
    responses: responsesOf(f),
    counts: counted.has(f.id),
  }));
  const states = invitedStates.map((s) => s.state);
  // Answers from people no longer on the invitation list still count as answers.
  const answered = Math.max(states.filter((s) => s === 'submitted').length, submitted.length);
  return {
    consultation: toView(c, opts.now),
    open: c.status !== 'Closed' && Date.parse(c.closesAt) > opts.now.getTime(),
    invited: c.invitees.length,
    submitted: answered,
    drafts: states.filter((s) => s === 'draft').length,
    notYet: states.filter((s) => s === 'none').length,
    ...(orgs.size ? { organisations: [...orgs.values()] } : {}),
    ...(people ? { people } : {}),
    themes: themeCounts(c, countedItems),
    feedback: entries,
    moreFeedback: Math.max(0, entries.length - 12),
    anonymousToEveryone: !named,
    limits: { response: LIMITS.response },
    ...(opts.notice ? { notice: opts.notice } : {}),
    ...(opts.deliveries ? { invitations: invitationDeliveries(c, opts.deliveries) } : {}),
  };
}

/** For the channel: counts and short quotes, nobody and no organisation named. */
export function summaryView(c: Consultation, feedback: readonly Feedback[], now: Date): SummaryView {
  const counted = countedIds(c, feedback);
  const items = feedback.filter((f) => counted.has(f.id));
  const quotes = items
    .flatMap((f) =>
      f.answers
        .map((a) => a.answer)
        .filter(Boolean)
        .slice(0, 1),
    )
    .slice(0, 6)
    .map((q) => flatCut(q, 200));
  return {
    consultation: toView(c, now),
    invited: c.invitees.length,
    responses: items.length,
    organisations: new Set(items.flatMap((f) => (f.organisation ? [organisationKey(f.organisation)] : [])))
      .size,
    themes: themeCounts(c, items),
    quotes,
  };
}
