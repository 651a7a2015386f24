/** What people type to the boards feature, and which questions span every board they sit on. */

export type BoardsIntent = { kind: 'settings' };

export function readBoardsIntent(text: string): BoardsIntent | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  if (/^(?:board settings|board roles|settings|who are the (?:officers|chairs))\??$/i.test(t))
    return { kind: 'settings' };
  return undefined;
}

/**
 * A personal chat's own questions: "actions mine" and its variants answer for every board the
 * person is on, grouped by board (issue 12, item 4). The wording follows actions/intents.ts.
 */
export function spansBoards(text: string): boolean {
  return /^(?:actions mine|my actions|mine|what do i owe|what have i got|show (?:me )?my actions|what are my actions|my open actions|my overdue actions|what(?:'s| is| am i) overdue(?: for me| on)?|actions overdue for me)\??$/i.test(
    text.trim().replace(/\s+/g, ' '),
  );
}
