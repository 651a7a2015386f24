import { card, container, fitsBudget, heading, openUrl, runs, text, userText } from './adaptive.js';
import type { AdaptiveCard, CardAction, InputText } from './adaptive.js';
import { cut } from './text.js';

import { execute } from './verbs.js';

/**
 * After the meeting: what was resolved on each item ("RESOLVED: To note that …") and the link to
 * the minutes; and the officer's form to record them. An empty box leaves a decision as it is;
 * "-" clears it.
 */

export interface DecisionItemView {
  number: string;
  title: string;
  decision?: string;
}

export interface DecisionsView {
  ref: string;
  board: string;
  when: string;
  items: DecisionItemView[];
  minutesUrl?: string;
  canRecord: boolean;
  notice?: string;
}

export function decisionsCard(vm: DecisionsView): AdaptiveCard {
  const recorded = vm.items.filter((i) => i.decision).length;
  const actions: CardAction[] = [];
  if (vm.minutesUrl) actions.push(openUrl('Minutes', vm.minutesUrl));
  if (vm.canRecord)
    actions.push(
      execute('agendaDecisionsForm', 'Record decisions', { ref: vm.ref }, { associatedInputs: 'none' }),
    );
  actions.push(execute('agendaShow', 'Open the pack', { ref: vm.ref }, { associatedInputs: 'none' }));
  return card(
    [
      heading(`Decisions ${vm.ref}`),
      ...(vm.notice ? [userText(vm.notice, { weight: 'Bolder', spacing: 'Small' })] : []),
      userText(vm.board, { weight: 'Bolder', spacing: 'Small' }),
      text(vm.when, { spacing: 'None' }),
      text(
        recorded
          ? `${recorded} of ${vm.items.length} items have a decision recorded.${vm.minutesUrl ? ' The minutes are linked below.' : ''}`
          : 'No decisions are recorded yet.',
        { isSubtle: true, size: 'Small', spacing: 'Small' },
      ),
      ...vm.items.map((i) =>
        container(
          [
            runs([
              { text: `${i.number}. `, weight: 'Bolder' },
              { text: cut(i.title, 200), weight: 'Bolder' },
            ]),
            i.decision
              ? userText(cut(i.decision, 1500), { spacing: 'None' })
              : text('No decision recorded.', { isSubtle: true, spacing: 'None' }),
          ],
          { separator: true, spacing: 'Small' },
        ),
      ),
    ],
    actions,
    { fallbackText: `Decisions ${vm.ref}: ${recorded} recorded.` },
  );
}

export interface DecisionsFormView {
  ref: string;
  board: string;
  when: string;
  items: DecisionItemView[];
  minutesUrl?: string;
  problems?: string[];
}

export const decisionField = (number: string) => `decision:${number}`;

export function decisionsFormCard(vm: DecisionsFormView): AdaptiveCard {
  const build = (prefill: boolean) =>
    card(
      [
        heading(`Record decisions ${vm.ref}`, { size: 'Medium' }),
        userText(`${vm.board} · ${vm.when}`, { isSubtle: true, spacing: 'None' }),
        ...(vm.problems?.length
          ? vm.problems.map((p) => userText(p, { color: 'Attention', weight: 'Bolder', spacing: 'Small' }))
          : []),
        text(
          'Write what was resolved, e.g. "RESOLVED: To note the key issues set out in the report." Leave a box empty to keep it as it is; type - to clear it.',
          {
            isSubtle: true,
            size: 'Small',
            spacing: 'Small',
          },
        ),
        ...vm.items.map((i): InputText => ({
          type: 'Input.Text',
          id: decisionField(i.number),
          label: `Item ${i.number}: ${cut(i.title, 80)}`,
          isMultiline: true,
          maxLength: 4000,
          ...(prefill && i.decision ? { value: i.decision } : {}),
          ...(!prefill && i.decision ? { placeholder: 'A decision is recorded: type to replace it' } : {}),
          spacing: 'Medium',
        })),
        {
          type: 'Input.Text',
          id: 'minutesUrl',
          label: 'Link to the minutes (optional)',
          placeholder: 'https://…',
          maxLength: 2048,
          ...(vm.minutesUrl ? { value: vm.minutesUrl } : {}),
          spacing: 'Large',
        },
      ],
      [
        execute(
          'agendaDecisions',
          'Save decisions',
          { ref: vm.ref },
          { associatedInputs: 'auto', style: 'positive' },
        ),
        execute('agendaShow', 'Back to the pack', { ref: vm.ref }, { associatedInputs: 'none' }),
      ],
      { fallbackText: `Record decisions for ${vm.ref}` },
    );
  const full = build(true);
  // Long decisions on a long pack would not fit: they stay on the list, and the box says so.
  return fitsBudget(full, 4096) ? full : build(false);
}
