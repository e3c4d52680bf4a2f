import { DEMO_CATEGORIES, DEMO_COLORS, imageName } from './demo-products';

/**
 * The demo shop's pictures: one flat SVG swatch per category and colour (64 files, under 500
 * bytes each): the colour as background, the category's letter and name on it. Drawn here, so
 * nothing is copied from anywhere.
 */
export function demoImages(): Map<string, string> {
  const images = new Map<string, string>();
  for (const category of DEMO_CATEGORIES) {
    for (const color of DEMO_COLORS) {
      const ink = ['white', 'sand', 'mustard'].includes(color.name) ? '#222222' : '#f4f1ea';
      images.set(
        imageName(category, color),
        [
          '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">',
          `<rect width="600" height="600" fill="${color.hex}"/>`,
          `<circle cx="300" cy="260" r="150" fill="none" stroke="${ink}" stroke-width="12" opacity="0.6"/>`,
          `<text x="300" y="320" font-family="sans-serif" font-size="170" text-anchor="middle" fill="${ink}">${category.glyph}</text>`,
          `<text x="300" y="520" font-family="sans-serif" font-size="44" text-anchor="middle" fill="${ink}">${category.key} · ${color.name}</text>`,
          '</svg>',
          '',
        ].join('\n'),
      );
    }
  }
  return images;
}
