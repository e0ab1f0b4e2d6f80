// Renders renderer/public/icons/icon.svg to the PNG sizes the web app manifest names (run once after editing the SVG):
//   npx tsx scripts/makeIcons.ts
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../tests/support/browser';

const dir = path.resolve(import.meta.dirname, '../renderer/public/icons');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
const browser = await launchBrowser();
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`);
  fs.writeFileSync(path.join(dir, `icon-${size}.png`), await page.screenshot({ type: 'png' }));
  await page.close();
}
await browser.close();
