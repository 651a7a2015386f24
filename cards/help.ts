import { actionSet, card, container, facts, heading, text, userText } from './adaptive.js';
import type { AdaptiveCard } from './adaptive.js';
import { execute, type HelpTopic } from './verbs.js';

/** The help card: what the bot does for each of the people around the table. */

export interface HelpViewModel {
  boardName: string;
  /** Shown on install instead of the plain heading. */
  welcome?: boolean;
  /** What the person typed, when it was not a command. */
  notUnderstood?: string;
}

export function helpCard(vm: HelpViewModel): AdaptiveCard {
  const intro = vm.welcome
    ? `Hello! I keep the ${vm.boardName}'s agenda packs, consultations and actions in one place, with SharePoint as the record.`
    : `I keep the ${vm.boardName}'s agenda packs, consultations and actions in one place, with SharePoint as the record.`;
  return card(
    [
      heading('Partnership Board'),
      ...(vm.notUnderstood
        ? [
            text("I didn't recognise this, so here is what I can do:", {
              color: 'Attention',
              spacing: 'Small',
            }),
            userText(truncate(vm.notUnderstood, 80), { italic: true, spacing: 'None' }),
          ]
        : []),
      text(intro, { spacing: 'Small' }),
      container(
        [
          text(
            '**Officers** publish agenda packs and supplementary papers, open consultations on draft strategies, respond to feedback and chase.',
          ),
          text(
            '**Partners** send apologies or a substitute, answer consultations, and log and update their actions.',
          ),
          text('**Chairs** ask what is open, overdue, or owed by whom.'),
        ],
        { spacing: 'Medium' },
      ),
      facts(
        [
          ['action …', 'log an action, e.g. "action: Sonia Khan to circulate the draft by end of June"'],
          ['actions', 'open actions; also "what\'s overdue?", "actions for Sonia"'],
          ['agenda …', 'agenda packs: new, supplement, attendance'],
          ['consult …', 'consultations: new, status, close, export'],
        ],
        { spacing: 'Medium' },
      ),
      text('In a channel, @mention me first. In our personal chat, just type.', {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    [
      execute('helpTopic', 'Actions', { topic: 'actions' }),
      execute('helpTopic', 'Agenda packs', { topic: 'agenda' }),
      execute('helpTopic', 'Consultations', { topic: 'consult' }),
      execute('helpRole', 'My role', {}),
    ],
    { fallbackText: 'Partnership Board: type "help" to see what I can do.' },
  );
}

const TOPICS: Record<HelpTopic, { title: string; lines: string[]; examples: [string, string][] }> = {
  actions: {
    title: 'Actions',
    lines: [
      'Log an action in one message: I find the owners and the due date, write it to the Actions list, and show you what I understood with Edit and Undo.',
      'Owners keep their actions up to date from the card or by typing; chairs ask what is open, overdue, or owed by whom.',
    ],
    examples: [
      ['Log', 'action: Sonia Khan and Rachel Duke to share the procurement strategy by end of June'],
      ['Ask', "actions · what's overdue? · actions for Jake · actions mine"],
      ['Update', 'action A-0042 done · action A-0042 due 30 June · action A-0042 note sent to partners'],
    ],
  },
  agenda: {
    title: 'Agenda packs',
    lines: [
      "Officers publish the meeting's pack to the channel and to each member: items, presenters, timings and papers, then supplementary papers as they arrive.",
      'Members answer Attending, Apologies or Sending a substitute on the card; after the meeting the officer records what was resolved.',
    ],
    examples: [
      ['Officers', 'agenda new · agenda supplement · agenda attendance'],
      ['Members', 'use the buttons on the pack card'],
    ],
  },
  consult: {
    title: 'Consultations',
    lines: [
      'Officers open a consultation on a draft strategy: its themes, the questions and a closing date. Partners answer in Teams, and can change their answers until it closes.',
      'Officers see who has answered, give an initial response, chase, export, and finally report back what changed: you said, we did.',
    ],
    examples: [
      ['Officers', 'consult new · consult status · consult close · consult export'],
      ['Partners', 'answer on the consultation card'],
    ],
  },
};

export function helpTopicCard(topic: HelpTopic): AdaptiveCard {
  const t = TOPICS[topic];
  return card(
    [heading(t.title), ...t.lines.map((l) => text(l)), facts(t.examples, { spacing: 'Medium' })],
    [execute('helpShow', 'Back to help', {})],
  );
}

export function roleCard(vm: { roleDescription: string; boardName: string }): AdaptiveCard {
  return card([
    heading('Your role'),
    text(`On the ${vm.boardName} you are ${vm.roleDescription}.`),
    text("Officers and chairs are set by the board's administrators.", { isSubtle: true, size: 'Small' }),
    actionSet([execute('helpShow', 'Back to help', {})]),
  ]);
}

function truncate(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}
