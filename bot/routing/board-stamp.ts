/**
 * A card's buttons say which board they were sent for: every Action.Execute / Action.Submit in a
 * card sent while working for a board carries `pbBoard: <team id>` in its data. In a personal chat
 * that spans several boards, the edge reads it back to know which board a press is for, and checks
 * the person is on that board before anything runs (a stamp is a hint, never a permission). It is
 * taken out again before the verb's own data is read.
 */

export const BOARD_STAMP = 'pbBoard';

export function stampBoard<T>(card: T, boardId: string): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = walk(v);
    if (out.type === 'Action.Execute' || out.type === 'Action.Submit') {
      const data = out.data && typeof out.data === 'object' && !Array.isArray(out.data) ? out.data : {};
      out.data = { ...(data as Record<string, unknown>), [BOARD_STAMP]: boardId };
    }
    return out;
  };
  return walk(card) as T;
}

/** The stamp and the data without it. */
export function takeStamp(data: unknown): { board?: string; data: unknown } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { data };
  const { [BOARD_STAMP]: board, ...rest } = data as Record<string, unknown>;
  return typeof board === 'string' && board ? { board, data: rest } : { data: rest };
}
