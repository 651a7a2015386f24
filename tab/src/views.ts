import type { ViewData } from '../../bot/tab-api/contract.js';
import { ApiFailure, type Api } from './api.js';
import { renderBlock } from './blocks.js';
import { clear, h, uniqueId } from './dom.js';

/** One board view (next meeting, consultation results…): its picker, then its blocks. */
export class ViewPanel {
  private readonly root: HTMLElement;
  private readonly headingId = uniqueId('view-heading');
  private choice: string | undefined;

  constructor(
    private readonly api: Api,
    private readonly id: string,
    private readonly title: string,
  ) {
    this.root = h('section', { class: 'view', attrs: { 'aria-labelledby': this.headingId } });
  }

  get element(): HTMLElement {
    return this.root;
  }

  focus(): void {
    this.root.querySelector<HTMLElement>(`#${this.headingId}`)?.focus();
  }

  private heading(text: string): HTMLElement {
    return h('h2', { id: this.headingId, attrs: { tabindex: '-1' } }, text);
  }

  async load(): Promise<void> {
    let data: ViewData;
    try {
      data = await this.api.get<ViewData>(`/tab/api/views/${encodeURIComponent(this.id)}`, {
        ...(this.choice ? { choice: this.choice } : {}),
      });
    } catch (err) {
      clear(this.root);
      this.root.append(
        this.heading(this.title),
        h(
          'p',
          { class: 'live live-error', attrs: { role: 'alert' } },
          err instanceof ApiFailure ? err.message : 'This view could not be loaded.',
        ),
      );
      return;
    }
    clear(this.root);
    this.root.append(this.heading(data.title));
    if (data.choice && data.choice.options.length > 1) {
      const id = uniqueId('choice');
      const picker = h('select', { id });
      for (const o of data.choice.options) {
        const option = h('option', { attrs: { value: o.value } }, o.label);
        if (o.value === data.choice.selected) option.selected = true;
        picker.append(option);
      }
      picker.addEventListener('change', () => {
        this.choice = picker.value;
        void this.load().then(() => this.root.querySelector<HTMLSelectElement>('select')?.focus());
      });
      this.root.append(
        h('div', { class: 'field picker' }, h('label', { attrs: { for: id } }, data.choice.label), picker),
      );
    }
    for (const block of data.blocks) this.root.append(renderBlock(block));
  }
}
