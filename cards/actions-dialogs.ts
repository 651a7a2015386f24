import { card, heading, submit, text } from './adaptive.js';
import type { AdaptiveCard, CardAction, Json } from './adaptive.js';

/**
 * The "Log as action" dialog opened from a message's … menu (a message-extension action command).
 * Dialogs submit with Action.Submit: Teams sends its data and the inputs to the bot as the
 * dialog's submit, not as a Universal Action, so no verb is involved.
 */

export const LOG_AS_ACTION_COMMAND = 'logAsAction';

export interface LogDialogView {
  text: string;
  owners: string[];
  dueDate?: string;
  dueText?: string;
  tentative: boolean;
  meeting?: string;
  /** Carried back on submit: the link to the message and its idempotency key. */
  sourceUrl?: string;
  messageKey: string;
  /** Why the last submit was not accepted. */
  error?: string;
}

function submitPositive(title: string, data: { [key: string]: Json }): CardAction {
  return submit(title, data, { style: 'positive' });
}

export function logDialogCard(vm: LogDialogView): AdaptiveCard {
  return card(
    [
      heading('Log as action', { size: 'Medium' }),
      ...(vm.error ? [text(vm.error, { color: 'Attention', weight: 'Bolder' })] : []),
      {
        type: 'Input.Text',
        id: 'text',
        label: 'Action',
        value: vm.text,
        isMultiline: true,
        maxLength: 10_000,
        isRequired: true,
        errorMessage: 'Say what needs doing.',
      },
      {
        type: 'Input.Text',
        id: 'owners',
        label: 'Owners (separate with ;)',
        value: vm.owners.join('; '),
        maxLength: 1000,
        placeholder: 'e.g. Sonia Khan; Rachel Duke',
      },
      { type: 'Input.Date', id: 'dueDate', label: 'Due date', ...(vm.dueDate ? { value: vm.dueDate } : {}) },
      {
        type: 'Input.Text',
        id: 'dueText',
        label: 'Due, as written',
        value: vm.dueText ?? '',
        maxLength: 255,
        placeholder: 'e.g. October 2018 (TBC)',
      },
      {
        type: 'Input.ChoiceSet',
        id: 'tentative',
        label: 'Is the date firm?',
        style: 'compact',
        value: vm.tentative ? 'true' : 'false',
        choices: [
          { title: 'Firm', value: 'false' },
          { title: 'Tentative (TBC)', value: 'true' },
        ],
      },
      {
        type: 'Input.Text',
        id: 'meeting',
        label: 'Meeting (optional)',
        value: vm.meeting ?? '',
        maxLength: 100,
      },
      text('It is saved to the Actions list with a link back to the message.', {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    [
      submitPositive('Log action', {
        messageKey: vm.messageKey,
        ...(vm.sourceUrl ? { sourceUrl: vm.sourceUrl } : {}),
      }),
    ],
  );
}
