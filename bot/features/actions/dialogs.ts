import { z } from 'zod';
import { loggedCard } from '../../../cards/actions.js';
import { safeUrl } from '../../../cards/text.js';
import { logDialogCard, type LogDialogView } from '../../../cards/actions-dialogs.js';
import { failsAs } from '../../routing/errors.js';
import type { DialogOutcome, MessageActionHandlers, Turn } from '../../routing/types.js';
import { NOT_SAVED, rosterOf, whoOf, type ActionsDeps } from './context.js';
import { dueFromForm } from './intents.js';
import { parseActionText, stripCommandPrefix } from './parse.js';
import { readOwnersText, toParserRoster } from './people.js';
import { logAction } from './service.js';
import { capsFor, todayIn, toView } from './views.js';
import { keyFor, shortKey } from '../../keys.js';

/**
 * "Log as action" from any message's … menu (a message-extension action command, context message):
 * the dialog opens prefilled from the message — its text without markup, the owners it names (or its
 * author), the due date — and submitting logs it with SourceUrl linking back to the message. The
 * message's id is the idempotency key, so the same message logged twice gives one action.
 */

type MessagePayload = Parameters<MessageActionHandlers['fetch']>[0];

const DIALOG_TITLE = 'Log as action';

export async function prefillFromMessage(
  message: MessagePayload,
  turn: Turn,
  deps: ActionsDeps,
): Promise<LogDialogView> {
  const members = await rosterOf(turn, deps.logger);
  const plain = message.text.trim();
  const body = stripCommandPrefix(plain) || plain;
  const messageKey = shortKey(turn.where.conversationId, message.id ?? message.url ?? plain);
  const sourceUrl = safeUrl(message.url);
  const parsed = body
    ? parseActionText(body, {
        // Relative dates ("next Friday") count from when the message was posted, not from the click.
        now: message.sentAt ?? turn.timestamp,
        roster: toParserRoster(members),
        mentions: (message.mentions ?? []).map((m) => ({ name: m.name, id: m.aadObjectId ?? m.id })),
      })
    : undefined;
  const author = message.from?.name ? [message.from.name] : [];
  if (!parsed?.ok) {
    return {
      text: body.slice(0, 10_000),
      owners: author,
      tentative: false,
      messageKey,
      ...(sourceUrl ? { sourceUrl } : {}),
    };
  }
  const a = parsed.action;
  return {
    text: a.details.slice(0, 10_000),
    owners: a.owners.length ? a.owners.map((o) => o.name) : author,
    ...(a.due ? { dueDate: a.due.date } : {}),
    ...(a.dueText ? { dueText: a.dueText } : {}),
    tentative: a.due?.tentative ?? false,
    ...(a.meetingRef ? { meeting: a.meetingRef } : {}),
    messageKey,
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v && v.trim() ? v.trim() : undefined));

const SubmitSchema = z.object({
  text: z.string().max(10_240).optional(),
  owners: optionalText(1000),
  dueDate: optionalText(40),
  dueText: optionalText(255),
  tentative: z.enum(['true', 'false']).optional(),
  meeting: optionalText(100),
  sourceUrl: optionalText(2048),
  messageKey: z
    .string()
    .regex(/^[a-f0-9]{16,64}$/)
    .optional(),
});

function reshow(view: LogDialogView, error: string): DialogOutcome {
  return {
    kind: 'dialog',
    dialog: { title: DIALOG_TITLE, card: logDialogCard({ ...view, error }), size: 'medium' },
  };
}

export async function submitLogDialog(
  raw: Record<string, unknown>,
  turn: Turn,
  deps: ActionsDeps,
): Promise<DialogOutcome> {
  const parsed = SubmitSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      kind: 'message',
      message:
        'That form sent something I could not read, so nothing was saved. Please open "Log as action" again.',
    };
  }
  const data = parsed.data;
  const text = data.text?.trim() ?? '';
  const view: LogDialogView = {
    text,
    owners: data.owners
      ? data.owners
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    ...(data.dueDate ? { dueDate: data.dueDate } : {}),
    ...(data.dueText ? { dueText: data.dueText } : {}),
    tentative: data.tentative === 'true',
    ...(data.meeting ? { meeting: data.meeting } : {}),
    messageKey: data.messageKey ?? shortKey(turn.where.conversationId, turn.activityId ?? text),
    ...(data.sourceUrl && safeUrl(data.sourceUrl) ? { sourceUrl: safeUrl(data.sourceUrl) as string } : {}),
  };
  if (!text) return reshow(view, 'Say what needs doing.');
  const formDue = dueFromForm(data.dueDate, data.dueText, turn.timestamp);
  if (formDue && 'invalid' in formDue) return reshow(view, formDue.invalid);
  const due = formDue && data.tentative === 'true' ? { ...formDue, tentative: true } : formDue;

  const roster = toParserRoster(await rosterOf(turn, deps.logger));
  const owners = data.owners ? readOwnersText(data.owners, { roster }) : [];
  // The title leaves out an owner tail and a closing "by …", as when logging from chat.
  const read = parseActionText(text, { now: turn.timestamp, roster });
  const title = read.ok ? read.action.title : text;
  const created = await failsAs('notSaved', NOT_SAVED, () =>
    logAction(deps.store, {
      draft: {
        title,
        text,
        owners,
        ...(due ? { due } : {}),
        ...(data.meeting ? { meetingRef: data.meeting } : {}),
      },
      who: whoOf(turn),
      at: turn.timestamp,
      sourceKey: keyFor('message', view.messageKey),
      ...(view.sourceUrl ? { sourceUrl: view.sourceUrl } : {}),
      how: 'from a message',
      source: 'messageAction',
    }),
  );
  const record = created.record;
  return {
    kind: 'close',
    post: {
      card: loggedCard({
        action: toView(record, todayIn(turn.timestamp)),
        caps: capsFor(whoOf(turn), record),
        ...(created.created
          ? {}
          : {
              already: true,
              notice: 'That message was already logged as an action; nothing new was written.',
            }),
      }),
    },
  };
}

export function logAsActionHandlers(deps: ActionsDeps): MessageActionHandlers {
  return {
    fetch: async (message, turn) => ({
      kind: 'dialog',
      dialog: {
        title: DIALOG_TITLE,
        card: logDialogCard(await prefillFromMessage(message, turn, deps)),
        size: 'medium',
      },
    }),
    submit: (data, turn) => submitLogDialog(data, turn, deps),
  };
}
