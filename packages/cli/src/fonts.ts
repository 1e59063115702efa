import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The font every plot uses. It ships inside the `dejavu-fonts-ttf` npm package, so PNG text renders
 * the same on a bare machine with no system fonts. DejaVu Sans is also matplotlib's default face,
 * which keeps the figures looking like the usual Python RL plots.
 */
export const PLOT_FONT_FAMILY = 'DejaVu Sans';

const require = createRequire(import.meta.url);

/** Absolute paths of the TTF files handed to resvg (regular and bold, for titles). */
export function plotFontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}
