import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/** 20,000 items through $batch, then indexed lookups and paging over them, before and after a restart. */

const TOTAL = 20_000;
let dir: string;
let svc: ListsService | undefined;

afterAll(async () => {
  await svc?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Page {
  value: { id: string; fields: { Title: string } }[];
  responses: { status: number }[];
  '@odata.nextLink'?: string;
}

async function json(url: string, init?: RequestInit): Promise<Page> {
  const res = await fetch(url, init);
  expect(res.status).toBeLessThan(300);
  return res.json();
}

describe('lists service at scale', () => {
  it('takes 20,000 items through $batch and finds one by an indexed eq filter', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lists-scale-'));
    svc = await startListsService({ port: 0, dataDir: dir, provision: true });
    for (let b = 0; b < TOTAL / 20; b++) {
      const requests = Array.from({ length: 20 }, (_, i) => {
        const n = b * 20 + i;
        return {
          id: String(i + 1),
          method: 'POST',
          url: '/sites/root/lists/Deliveries/items',
          headers: { 'Content-Type': 'application/json' },
          body: {
            fields: {
              Title: `Invitation ${n}`,
              DeliveryKey: `k-${n}`,
              Campaign: `c-${n % 40}`,
              Status: 'Pending',
            },
          },
        };
      });
      const body = await json(`${svc.graphBaseUrl}/$batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
      expect(body.responses.filter((r) => r.status !== 201)).toEqual([]);
    }

    const items = `${svc.graphBaseUrl}/sites/root/lists/Deliveries/items`;
    for (const n of [0, 12_345, TOTAL - 1]) {
      const found = await json(`${items}?$expand=fields&$filter=fields/DeliveryKey eq 'k-${n}'`);
      expect(found.value.map((i) => i.fields.Title)).toEqual([`Invitation ${n}`]);
    }
    const campaign = await json(
      `${items}?$filter=fields/Campaign eq 'c-7' and fields/Status eq 'Pending'&$top=5000`,
    );
    expect(campaign.value).toHaveLength(TOTAL / 40);

    await svc.close();
    svc = await startListsService({ port: 0, dataDir: dir });
    let count = 0;
    let next: string | undefined =
      `${svc.graphBaseUrl}/sites/root/lists/Deliveries/items?$top=5000&$select=id`;
    while (next) {
      const page = await json(next);
      count += page.value.length;
      next = page['@odata.nextLink'];
    }
    expect(count).toBe(TOTAL);
    const last = await json(
      `${svc.graphBaseUrl}/sites/root/lists/Deliveries/items?$expand=fields&$filter=fields/DeliveryKey eq 'k-${TOTAL - 1}'`,
    );
    expect(last.value).toHaveLength(1);
  });
});
