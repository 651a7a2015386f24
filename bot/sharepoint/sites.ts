import type { Client } from '@microsoft/microsoft-graph-client';
import { toListsError } from './errors.js';

/**
 * Graph path of a site: `root`, a site id (`host,guid,guid`) or the `host:/sites/path:` form.
 * Spaces and non-ASCII characters in a site path are percent-encoded; `:`, `/` and `,` are kept.
 */
export function sitePath(siteRef: string): string {
  return `/sites/${encodeURI(siteRef)}`;
}

/**
 * Resolves the configured site reference and list display names to ids once, then serves them
 * from memory. A failed lookup is not cached, so a list provisioned later is found on next use.
 */
export class SiteResolver {
  private site: Promise<string> | undefined;
  private readonly lists = new Map<string, Promise<string>>();

  constructor(
    private readonly client: Client,
    readonly siteRef: string,
  ) {}

  siteId(): Promise<string> {
    this.site ??= this.client
      .api(sitePath(this.siteRef))
      .select('id')
      .get()
      .then((site: { id: string }) => site.id)
      .catch((e: unknown) => {
        this.site = undefined;
        throw toListsError(e, `Site ${this.siteRef}`);
      });
    return this.site;
  }

  /** A list id from its display name (Graph also accepts the title in place of the id). */
  listId(displayName: string): Promise<string> {
    let pending = this.lists.get(displayName);
    if (!pending) {
      pending = this.siteId().then((siteId) =>
        this.client
          .api(`/sites/${siteId}/lists/${encodeURIComponent(displayName)}`)
          .select('id')
          .get()
          .then((list: { id: string }) => list.id)
          .catch((e: unknown) => {
            throw toListsError(e, `List ${displayName}`);
          }),
      );
      pending.catch(() => this.lists.delete(displayName));
      this.lists.set(displayName, pending);
    }
    return pending;
  }

  /** `/sites/{id}/lists/{id}` for building item URLs (also inside `$batch`). */
  async listPath(displayName: string): Promise<string> {
    const [siteId, listId] = await Promise.all([this.siteId(), this.listId(displayName)]);
    return `/sites/${siteId}/lists/${listId}`;
  }

  /** Forget cached ids, e.g. after a list was deleted and re-created. */
  forget(displayName?: string): void {
    if (displayName === undefined) {
      this.site = undefined;
      this.lists.clear();
    } else {
      this.lists.delete(displayName);
    }
  }
}
