import { toIsoDate, londonDate, formatLongDate } from '../../dates/london.js';
import {
  isClosed,
  toConsultation,
  toFeedback,
  type Consultation,
  type Feedback,
} from '../../features/consultations/model.js';
import { countedIds, themeCounts, whenLabel } from '../../features/consultations/views.js';
import type { Block, ViewData } from '../contract.js';
import { safeUrl } from '../../../cards/text.js';
import type { TabView, ViewContext } from './types.js';

/**
 * Consultation results: how many answered and when, per theme how many said the strategy helps,
 * partly helps or does not help (the answers that count, as the officer's status card counts
 * them), and the comments with the officers' initial responses. Read with the consultations
 * feature's own model. No name, nor an organisation that would give one away, is ever shown for an
 * anonymous consultation; partners see the counts and their own answers only.
 */

const TITLE = 'Consultation results';
const PARTS = ['Helps', 'Partly', 'Does not help'];

type Viewer = ViewContext['who'];

function isAnonymous(c: Pick<Consultation, 'anonymity'>): boolean {
  return c.anonymity !== 'Named';
}

function responsesOverTime(feedback: readonly Feedback[]): Block | undefined {
  const days = new Map<string, number>();
  for (const f of feedback) {
    const at = new Date(f.answeredAt ?? '');
    if (Number.isNaN(at.getTime())) continue;
    const day = toIsoDate(londonDate(at));
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  if (!days.size) return undefined;
  let total = 0;
  const rows = [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, value]) => {
      total += value;
      return { label: formatLongDate(day), value, note: `${total} in all` };
    });
  return { kind: 'bars', caption: 'Responses over time', unit: unitOf(rows), rows };
}

const unitOf = (rows: { value: number }[]) => (rows.every((r) => r.value === 1) ? 'response' : 'responses');

function comment(f: Feedback, heading: string): Extract<Block, { kind: 'comments' }>['items'][number] {
  const response = f.officerResponse?.trim();
  return {
    heading,
    lines: [
      ...f.answers.filter((a) => a.answer.trim()).map((a) => ({ label: a.question, text: a.answer })),
      ...f.themes
        .filter((t) => t.comment.trim())
        .map((t) => ({ label: t.rating ? `${t.theme}: ${t.rating}` : t.theme, text: t.comment })),
    ],
    ...(response ? { response: { text: response, ...(f.respondedBy ? { by: f.respondedBy } : {}) } } : {}),
  };
}

/** Everything the view shows for one consultation, as this viewer may see it. */
export function consultationBlocks(
  c: Consultation,
  feedback: readonly Feedback[],
  viewer: Viewer,
  now: Date,
): Block[] {
  const submitted = feedback.filter((f) => f.submitted);
  const counted = countedIds(c, feedback);
  const countedItems = submitted.filter((f) => counted.has(f.id));
  const anonymous = isAnonymous(c);
  const closes = whenLabel(c.closesAt);
  const blocks: Block[] = [
    { kind: 'heading', text: `${c.ref}: ${c.title}` },
    {
      kind: 'paragraph',
      text:
        c.status === 'Draft'
          ? 'Draft: not yet sent to partners.'
          : isClosed(c, now)
            ? `Closed${c.closedAt ? ` on ${whenLabel(c.closedAt)}` : closes ? ` (deadline ${closes})` : ''}.`
            : `Open${closes ? ` until ${closes}` : ''}.`,
    },
  ];
  if (c.summary.trim()) blocks.push({ kind: 'paragraph', text: c.summary.trim() });

  const doc = safeUrl(c.documentUrl);
  blocks.push({
    kind: 'facts',
    items: [
      { label: 'Responses', value: String(submitted.length) },
      ...(c.countPer === 'Organisation'
        ? [{ label: 'Organisations counted', value: String(countedItems.length) }]
        : []),
      ...(c.invitees.length ? [{ label: 'Invited', value: String(c.invitees.length) }] : []),
      { label: 'Answers are', value: anonymous ? `${c.anonymity}: no names are shown` : 'Named' },
      ...(doc ? [{ label: 'Draft document', value: 'Open the draft', url: doc }] : []),
    ],
  });
  if (!submitted.length) {
    blocks.push({ kind: 'notice', text: 'Nobody has answered yet.' });
    return blocks;
  }
  const overTime = responsesOverTime(submitted);
  if (overTime) blocks.push(overTime);
  if (c.themes.length)
    blocks.push({
      kind: 'stacked-bars',
      caption: "Do the strategy's themes help partners with their challenges?",
      parts: PARTS,
      rows: themeCounts(c, countedItems).map((t) => ({
        label: t.theme,
        values: [t.helps, t.partly, t.doesNotHelp],
      })),
    });

  if (viewer.role === 'officer' || viewer.role === 'chair') {
    blocks.push({
      kind: 'comments',
      caption: 'What partners said',
      items: submitted.map((f, i) => {
        const who = [f.name.trim(), f.organisation?.trim()].filter(Boolean);
        return comment(f, anonymous || !who.length ? `Response ${i + 1}` : who.join(', '));
      }),
    });
  } else {
    const me = viewer.aadObjectId?.toLowerCase();
    // An anonymous answer is keyed by a one-way hash: the tab cannot, and need not, find it.
    const mine = anonymous || !me ? [] : submitted.filter((f) => f.respondentId.toLowerCase() === me);
    if (mine.length)
      blocks.push({
        kind: 'comments',
        caption: 'Your answers',
        items: mine.map((f) => comment(f, 'Your response')),
      });
    blocks.push({
      kind: 'notice',
      text: "Other partners' answers are shown to the board's officers and chairs.",
    });
  }

  if (c.weDid && (c.weDid.general || c.weDid.themes.length))
    blocks.push({
      kind: 'list',
      caption: 'You said, we did',
      items: [
        ...(c.weDid.general ? [c.weDid.general] : []),
        ...c.weDid.themes.map((t) => `${t.theme}: ${t.text}`),
      ],
    });
  return blocks;
}

const STATUS_ORDER = { Open: 0, Closed: 1, Draft: 2 } as const;

export const consultationResults: TabView = {
  id: 'consultations',
  title: TITLE,
  async load(ctx): Promise<ViewData> {
    const repo = ctx.lists.Consultations;
    const statuses = ctx.who.role === 'officer' ? ['Open', 'Closed', 'Draft'] : ['Open', 'Closed'];
    const items = await repo.all({
      filter: repo.filter.or(...statuses.map((s) => repo.filter.eq('Status', s))),
    });
    const consultations = items
      .map(toConsultation)
      .sort(
        (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.closesAt.localeCompare(a.closesAt),
      );
    if (!consultations.length)
      return {
        id: this.id,
        title: TITLE,
        blocks: [{ kind: 'notice', text: 'There are no consultations yet.' }],
      };
    const chosen = consultations.find((c) => c.ref === ctx.choice) ?? consultations[0]!;
    const feedbackRepo = ctx.lists.Feedback;
    const feedback = await feedbackRepo.all({
      filter: feedbackRepo.filter.eq('ConsultationRef', chosen.ref),
      // History (earlier versions of each answer) stays on the server.
      select: [
        'Title',
        'ConsultationRef',
        'FeedbackKey',
        'RespondentId',
        'Organisation',
        'Answers',
        'ThemeRatings',
        'OfficerResponse',
        'RespondedBy',
        'Submitted',
        'AnsweredAt',
      ],
    });
    return {
      id: this.id,
      title: TITLE,
      choice: {
        label: 'Consultation',
        selected: chosen.ref,
        options: consultations.map((c) => ({
          value: c.ref,
          label: `${c.ref}: ${c.title} (${c.status.toLowerCase()})`,
        })),
      },
      blocks: consultationBlocks(chosen, feedback.map(toFeedback), ctx.who, ctx.now),
    };
  },
};
