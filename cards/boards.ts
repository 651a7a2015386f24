import { BOARD_STAMP } from '../bot/routing/board-stamp.js';
import { actionSet, card, container, heading, text, userText } from './adaptive.js';
import type { AdaptiveCard, CardElement } from './adaptive.js';
import { execute } from './verbs.js';

/** The boards' cards: which board a command is for, and a board's settings (issue 12). */

export interface BoardChoiceView {
  id: string;
  name: string;
}

/** "Which board is this for?": one button per board, each naming its board for the edge. */
export function boardChooserCard(vm: { text: string; boards: readonly BoardChoiceView[] }): AdaptiveCard {
  return card(
    [
      heading('Which board is this for?'),
      text('You are on more than one board. Pick the one you mean:', { spacing: 'Small' }),
      userText(vm.text.slice(0, 200), { italic: true, spacing: 'Small' }),
      text('Next time you can add "for" and the board\'s name, or ask in the board\'s channel.', {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    vm.boards.map((b) => ({
      ...execute('boardsChoose', b.name.slice(0, 60), { text: vm.text.slice(0, 2000) }),
      data: { text: vm.text.slice(0, 2000), [BOARD_STAMP]: b.id },
    })),
  );
}

export interface SettingsPersonView {
  key: string;
  name: string;
  /** Why they are an officer when it is not by appointment ("team owner", "installed the app"). */
  because?: string;
  removable: boolean;
}

export interface BoardSettingsView {
  boardName: string;
  officers: SettingsPersonView[];
  chairs: SettingsPersonView[];
  /** The team's members who can be appointed (value: the key written to the Boards list). */
  members: { key: string; name: string }[];
  /** A line above the card, after a change. */
  lead?: string;
  /** The last few lines of History. */
  history: string[];
}

function people(role: 'officer' | 'chair', list: SettingsPersonView[]): CardElement[] {
  if (!list.length)
    return [text(role === 'officer' ? 'No officers yet.' : 'No chairs yet.', { isSubtle: true })];
  return list.map((p) =>
    container([
      userText(p.because ? `${p.name} (${p.because})` : p.name, { spacing: 'None' }),
      ...(p.removable
        ? [
            actionSet([execute('boardRemove', `Remove ${role}`, { role, person: p.key })], {
              spacing: 'None',
            }),
          ]
        : []),
    ]),
  );
}

export function boardSettingsCard(vm: BoardSettingsView): AdaptiveCard {
  const choices = vm.members.map((m) => ({ title: m.name, value: m.key }));
  const picker = (id: 'appointOfficer' | 'appointChair', label: string): CardElement => ({
    type: 'Input.ChoiceSet',
    id,
    label,
    style: 'compact',
    choices,
  });
  return card([
    ...(vm.lead ? [text(vm.lead, { color: 'Good' })] : []),
    heading(`${vm.boardName}: board settings`),
    text(
      "Officers publish packs and consultations and can change anyone's actions; chairs ask about everything and close actions. Everyone else in the team is a partner.",
      { spacing: 'Small', isSubtle: true },
    ),
    text('**Officers**', { spacing: 'Medium' }),
    ...people('officer', vm.officers),
    text('**Chairs**', { spacing: 'Medium' }),
    ...people('chair', vm.chairs),
    ...(choices.length
      ? [
          picker('appointOfficer', 'Appoint an officer from the team'),
          actionSet([
            execute('boardAppoint', 'Appoint officer', { role: 'officer' }, { associatedInputs: 'auto' }),
          ]),
          picker('appointChair', 'Appoint a chair from the team'),
          actionSet([
            execute('boardAppoint', 'Appoint chair', { role: 'chair' }, { associatedInputs: 'auto' }),
          ]),
        ]
      : [
          text("I could not read the team's members just now, so nobody can be appointed.", {
            color: 'Attention',
          }),
        ]),
    ...(vm.history.length
      ? [
          text('**Recent changes**', { spacing: 'Medium' }),
          ...vm.history.map((line) => userText(line, { size: 'Small', isSubtle: true, spacing: 'None' })),
        ]
      : []),
  ]);
}

export interface BoardPartView {
  name: string;
  /** What the board's answer was: its cards (buttons already naming the board) and texts. */
  messages: { text?: string; card?: AdaptiveCard }[];
}

/**
 * One answer for a question about every board a person sits on ("actions mine" in the personal
 * chat): each board's own answer under the board's name, in one card.
 */
export function groupedByBoardCard(parts: readonly BoardPartView[]): AdaptiveCard {
  return card(
    parts.map((part, i) =>
      container(
        [
          heading(part.name, { size: 'Medium' }),
          ...part.messages.flatMap((m): CardElement[] => [
            ...(m.text ? [userText(m.text, { spacing: 'Small' })] : []),
            ...(m.card ? m.card.body : []),
            ...(m.card?.actions?.length ? [actionSet(m.card.actions)] : []),
          ]),
        ],
        i > 0 ? { separator: true, spacing: 'Large' } : {},
      ),
    ),
  );
}
