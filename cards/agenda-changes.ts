import { card, container, heading, runs, text, userText } from './adaptive.js';
import type { AdaptiveCard, CardAction } from './adaptive.js';
import { cut } from './text.js';
import { supplementLine, type SupplementView } from './agenda.js';
import { execute } from './verbs.js';

/** What changed between two versions of a pack: the supplements in between and item by item. */

export interface ItemChangeView {
  number: string;
  title: string;
  /** "added", "withdrawn", "presenter: Tim Shields → Sonia Khan", "paper added: Slides". */
  lines: string[];
}

export interface ChangesView {
  ref: string;
  board: string;
  from: number;
  to: number;
  latest: number;
  supplements: SupplementView[];
  changes: ItemChangeView[];
}

export function changesCard(vm: ChangesView): AdaptiveCard {
  const actions: CardAction[] = [];
  if (vm.from > 1)
    actions.push(
      execute(
        'agendaChanges',
        `Compare version ${vm.from - 1} with ${vm.from}`,
        { ref: vm.ref, from: vm.from - 1, to: vm.from },
        { associatedInputs: 'none' },
      ),
    );
  if (vm.to < vm.latest)
    actions.push(
      execute(
        'agendaChanges',
        `Compare version ${vm.to} with ${vm.to + 1}`,
        { ref: vm.ref, from: vm.to, to: vm.to + 1 },
        { associatedInputs: 'none' },
      ),
    );
  if (vm.from > 1 || vm.to < vm.latest)
    actions.push(
      execute(
        'agendaChanges',
        'Since first published',
        { ref: vm.ref, from: 1, to: vm.latest },
        { associatedInputs: 'none' },
      ),
    );
  actions.push(execute('agendaShow', 'Open the pack', { ref: vm.ref }, { associatedInputs: 'none' }));
  return card(
    [
      heading(`What changed in agenda pack ${vm.ref}`, { size: 'Medium' }),
      userText(vm.board, { weight: 'Bolder', spacing: 'Small' }),
      text(`From version ${vm.from} to version ${vm.to}${vm.to === vm.latest ? ' (the current one)' : ''}.`, {
        spacing: 'None',
      }),
      ...vm.supplements.map(supplementLine),
      ...(vm.changes.length
        ? vm.changes.slice(0, 60).map((c) =>
            container(
              [
                runs([
                  { text: `${c.number}. `, weight: 'Bolder' },
                  { text: cut(c.title, 200), weight: 'Bolder' },
                ]),
                ...c.lines.slice(0, 12).map((l) => userText(cut(l, 400), { spacing: 'None' })),
              ],
              { separator: true, spacing: 'Small' },
            ),
          )
        : [text('The items are the same in both versions.', { isSubtle: true, spacing: 'Medium' })]),
      ...(vm.changes.length > 60
        ? [text(`… and ${vm.changes.length - 60} more items changed.`, { isSubtle: true })]
        : []),
    ],
    actions,
    { fallbackText: `What changed in agenda pack ${vm.ref} from version ${vm.from} to ${vm.to}` },
  );
}
