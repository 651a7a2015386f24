import type { BoardSettingsView, SettingsPersonView } from '../../../cards/boards.js';
import type { RosterMember } from '../../routing/types.js';
import { keysOf, matchesAny, memberKey, type Owner } from './service.js';
import type { Board } from './store.js';

/** The board settings card's view: who is an officer or chair and why, and whom one may appoint. */

function nameOf(key: string, roster: readonly RosterMember[]): string {
  return roster.find((m) => matchesAny(keysOf(m), [key]))?.name ?? key;
}

export function settingsView(
  board: Board,
  roster: readonly RosterMember[],
  owners: readonly Owner[],
  governance: readonly string[],
  lead?: string,
): BoardSettingsView {
  const officers: SettingsPersonView[] = [
    ...board.officers.map((key) => ({ key, name: nameOf(key, roster), removable: true })),
    ...(board.installedBy
      ? [
          {
            key: board.installedBy,
            name: nameOf(board.installedBy, roster),
            because: 'installed the app',
            removable: false,
          },
        ]
      : []),
    ...owners.map((o) => ({
      key: o.upn ?? o.email ?? o.aadObjectId ?? o.name,
      name: o.name,
      because: 'team owner',
      removable: false,
    })),
    ...governance.map((key) => ({
      key,
      name: nameOf(key, roster),
      because: 'council governance officer',
      removable: false,
    })),
  ];
  const seen = new Set<string>();
  const distinct = officers.filter((p) => {
    const k = p.key.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    boardName: board.name,
    officers: distinct,
    chairs: board.chairs.map((key) => ({ key, name: nameOf(key, roster), removable: true })),
    members: roster
      .flatMap((m) => {
        const key = memberKey(m);
        return key ? [{ key, name: m.name }] : [];
      })
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, 500),
    history: board.history.split('\n').filter(Boolean).slice(-5),
    ...(lead ? { lead } : {}),
  };
}
