import { cardBytes } from '../../cards/adaptive.js';
import type { GalleryFile } from './entries.js';

/** docs/cards/index.html: every card's picture, what it is for, its size and its JSON. */

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function featureName(file: string): string {
  const base = file.replace(/\.ts$/, '');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

export function galleryHtml(
  gallery: GalleryFile[],
  pictures: Map<string, { width: number; height: number }>,
): string {
  const total = gallery.reduce((n, g) => n + g.entries.length, 0);
  const sections = gallery.map((g) => {
    const figures = g.entries.map((e) => {
      const size = pictures.get(e.id);
      const kb = (cardBytes(e.card) / 1024).toFixed(1);
      return `    <figure id="${escape(e.id)}">
      <h3>${escape(e.title)} <a class="anchor" href="#${escape(e.id)}">#</a></h3>
      ${e.description ? `<p>${escape(e.description)}</p>` : ''}
      <img src="${escape(e.id)}.png" alt="${escape(e.title)}" loading="lazy"${size ? ` width="${size.width}" height="${size.height}"` : ''}>
      <figcaption><code>${escape(e.id)}</code> · ${kb} KB of the 40 KB budget</figcaption>
      <details><summary>Card JSON</summary><pre>${escape(JSON.stringify(e.card, null, 2))}</pre></details>
    </figure>`;
    });
    return `  <section>
    <h2>${escape(featureName(g.file))} <small>test/fixtures/gallery/${escape(g.file)}</small></h2>
${figures.join('\n')}
  </section>`;
  });
  return `<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Partnership Board: card gallery</title>
  <style>
    body { font-family: 'Segoe UI', system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #242424; background: #FAFAFA; }
    section { margin-bottom: 48px; }
    h2 small { font-weight: 400; font-size: 13px; color: #616161; margin-left: 8px; }
    figure { display: inline-block; vertical-align: top; width: 520px; margin: 0 16px 32px 0; }
    figure h3 { margin: 0 0 4px; font-size: 16px; }
    figure p { margin: 0 0 8px; color: #424242; font-size: 14px; }
    figure img { display: block; max-width: 100%; height: auto; }
    figcaption { font-size: 12px; color: #616161; margin-top: 4px; }
    .anchor { color: #C7C7C7; text-decoration: none; }
    details pre { max-height: 400px; overflow: auto; font-size: 12px; background: #FFFFFF; border: 1px solid #E0E0E0; padding: 8px; }
  </style>
</head>
<body>
  <h1>Partnership Board: card gallery</h1>
  <p>${total} cards, each built by its card builder from a realistic view model (the board's own papers), rendered by
  Microsoft's <code>adaptivecards</code> renderer with a Teams-like light theme. Regenerate with <code>npm run cards</code>;
  add a feature's cards in <code>test/fixtures/gallery/&lt;feature&gt;.ts</code>.</p>
${sections.join('\n')}
</body>
</html>
`;
}
