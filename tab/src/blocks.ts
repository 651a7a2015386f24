import type { Block, Cell } from '../../bot/tab-api/contract.js';
import { h, link } from './dom.js';

/**
 * Draws a view's blocks. Charts are tables first: every number is text in a cell, and the bars
 * beside them are decoration (hidden from screen readers) with patterns as well as colours, so
 * nothing depends on seeing colour.
 */

const percent = (value: number, total: number) => (total ? Math.round((value / total) * 100) : 0);

function bar(widthPercent: number, className: string): HTMLElement {
  const el = h('span', { class: className });
  el.style.setProperty('width', `${Math.max(0, Math.min(100, widthPercent))}%`);
  return el;
}

function cell(value: Cell): HTMLElement {
  if (typeof value === 'string') return h('td', null, value);
  const links = value.links;
  if (!links.length) return h('td', null);
  return h('td', null, h('ul', { class: 'plain' }, ...links.map((l) => h('li', null, link(l.text, l.url)))));
}

function caption(text: string): HTMLElement {
  return h('caption', null, text);
}

function bars(block: Extract<Block, { kind: 'bars' }>): HTMLElement {
  const max = Math.max(1, ...block.rows.map((r) => r.value));
  return h(
    'table',
    { class: 'chart chart-bars' },
    caption(block.caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'col' } }, 'When'),
        h('th', { attrs: { scope: 'col' } }, 'How many'),
      ),
    ),
    h(
      'tbody',
      null,
      ...block.rows.map((r) =>
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'row' } }, r.label),
          h(
            'td',
            null,
            h(
              'span',
              { class: 'bar-track', attrs: { 'aria-hidden': 'true' } },
              bar((r.value / max) * 100, 'bar'),
            ),
            h('span', { class: 'bar-value' }, `${r.value} ${block.unit}${r.note ? ` (${r.note})` : ''}`),
          ),
        ),
      ),
    ),
  );
}

function stackedBars(block: Extract<Block, { kind: 'stacked-bars' }>): HTMLElement {
  const legend = h(
    'p',
    { class: 'legend', attrs: { 'aria-hidden': 'true' } },
    ...block.parts.map((p, i) =>
      h('span', { class: 'legend-item' }, h('span', { class: `swatch part-${i}` }), ` ${p}`),
    ),
  );
  const table = h(
    'table',
    { class: 'chart chart-stacked' },
    caption(block.caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'col' } }, 'Theme'),
        ...block.parts.map((p) => h('th', { attrs: { scope: 'col' } }, p)),
      ),
    ),
    h(
      'tbody',
      null,
      ...block.rows.map((r) => {
        const total = r.values.reduce((a, b) => a + b, 0);
        const stack = h('span', { class: 'stack', attrs: { 'aria-hidden': 'true' } });
        r.values.forEach((v, i) => {
          if (v > 0) stack.append(bar(percent(v, total), `segment part-${i}`));
        });
        return h(
          'tr',
          null,
          h(
            'th',
            { attrs: { scope: 'row' } },
            h('span', { class: 'theme-name' }, r.label),
            total ? stack : null,
          ),
          ...r.values.map((v) => h('td', { class: 'num' }, total ? `${v} (${percent(v, total)}%)` : '0')),
        );
      }),
    ),
  );
  return h('figure', { class: 'figure' }, legend, h('div', { class: 'table-wrap' }, table));
}

function comments(block: Extract<Block, { kind: 'comments' }>, level: number): HTMLElement {
  const heading = (n: number, text: string) => h(n <= 3 ? 'h3' : 'h4', null, text);
  return h(
    'section',
    { class: 'comments' },
    heading(level, block.caption),
    ...block.items.map((item) =>
      h(
        'article',
        { class: 'comment' },
        heading(level + 1, item.heading),
        item.lines.length
          ? h(
              'dl',
              null,
              ...item.lines.flatMap((l) => [h('dt', null, l.label), h('dd', { class: 'typed' }, l.text)]),
            )
          : h('p', { class: 'muted' }, 'No comments.'),
        item.response
          ? h(
              'div',
              { class: 'response' },
              h(
                'p',
                { class: 'response-by' },
                `Initial response${item.response.by ? ` from ${item.response.by}` : ''}`,
              ),
              h('p', { class: 'typed' }, item.response.text),
            )
          : null,
      ),
    ),
  );
}

export function renderBlock(block: Block): HTMLElement {
  switch (block.kind) {
    case 'heading':
      return h('h3', null, block.text);
    case 'paragraph':
      return h('p', { class: 'typed' }, block.text);
    case 'notice':
      return h('p', { class: 'notice' }, block.text);
    case 'facts':
      return h(
        'dl',
        { class: 'facts' },
        ...block.items.flatMap((f) => [
          h('dt', null, f.label),
          h('dd', null, f.url ? link(f.value, f.url) : f.value),
        ]),
      );
    case 'list':
      return h(
        'section',
        { class: 'list' },
        h('h3', null, block.caption),
        h('ul', null, ...block.items.map((i) => h('li', null, i))),
      );
    case 'bars':
      return h('div', { class: 'table-wrap' }, bars(block));
    case 'stacked-bars':
      return stackedBars(block);
    case 'table':
      return h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          null,
          caption(block.caption),
          h(
            'thead',
            null,
            h('tr', null, ...block.columns.map((c) => h('th', { attrs: { scope: 'col' } }, c))),
          ),
          h('tbody', null, ...block.rows.map((row) => h('tr', null, ...row.map((value) => cell(value))))),
        ),
      );
    case 'comments':
      return comments(block, 3);
  }
}
