import { newFormKey, type ConsultNewFormData } from '../../../cards/consult-verbs.js';
import { consultationCard } from '../../../cards/consult.js';
import { newConsultationFormCard } from '../../../cards/consult-form.js';
import { plural } from '../../../cards/text.js';
import { londonDate, toIsoDate } from '../../dates/london.js';
import { shortKey } from '../../keys.js';
import { failsAs } from '../../routing/errors.js';
import type { OutgoingMessage, RosterMember, Turn, VerbOutcome } from '../../routing/types.js';
import { audienceOf } from './audience.js';
import type { ConsultContext } from './context.js';
import { defaultFormValues, formValuesOf, readNewConsultationForm, type FormProblems } from './form.js';
import { LIMITS } from './model.js';
import { toView } from './views.js';

/** "consult new" and the form's Open button: an officer opens a consultation from the channel. */

const NOT_OPENED =
  'The consultation was NOT opened: the Consultations list is not answering. Press Open again in a few minutes; it will not be opened twice.';

export function newForm(ctx: ConsultContext, turn: Turn): OutgoingMessage {
  const now = ctx.service.now();
  if (turn.where.type !== 'channel')
    return {
      text: 'Open a consultation from the board\'s channel, so its card and the "this channel\'s members" audience are there: @mention me with "consult new".',
    };
  return {
    card: newConsultationFormCard({
      key: shortKey(turn.where.conversationId, turn.activityId ?? String(now.getTime())),
      values: defaultFormValues(),
      minDate: toIsoDate(londonDate(now)),
    }),
  };
}

export async function open(ctx: ConsultContext, data: ConsultNewFormData, turn: Turn): Promise<VerbOutcome> {
  const now = ctx.service.now();
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
    ctx.logger.warn({ err }, 'could not read the roster for a consultation');
    return {
      kind: 'message',
      message:
        "I could not read this channel's members just now, so nothing was opened. Please press Open again in a minute.",
    };
  }
  const audience = audienceOf(ctx.officers, draft.audience, draft.people, roster, turn.actor.aadObjectId);
  if (audience.problem)
    return reshow(
      draft.audience === 'people' ? { people: audience.problem } : { audience: audience.problem },
    );
  if (audience.invitees.length > LIMITS.audience)
    return reshow({
      audience: `That is ${audience.invitees.length} people; a consultation can invite at most ${LIMITS.audience}. Choose people instead.`,
    });
  const opened = await failsAs('notOpened', NOT_OPENED, () =>
    ctx.service.open(draft, {
      formKey: newFormKey(data),
      conversationId: turn.where.conversationId,
      ...(turn.replyToId ? { activityId: turn.replyToId } : {}),
      openedBy: turn.actor.name,
      invitees: audience.invitees,
    }),
  );
  const c = opened.consultation;
  return {
    kind: 'card',
    card: consultationCard(toView(c, now), {
      notice: opened.created
        ? `Opened. Personal invitations are on their way to ${plural(c.invitees.length, 'person', 'people')}.`
        : 'This consultation is already open; nothing was opened twice.',
    }),
  };
}
