// App icons from one source, assets/icon.svg: Linux PNGs at several sizes (rendered straight from the SVG, so
// small sizes stay sharp), a macOS .icns and a Windows .ico (from the 1024 px render). Run by `npm run package`
// before electron-builder; the output is generated, not committed (build/generated/ is ignored).
//   node scripts/icons.mjs [OUT_DIR]      default: build/generated
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import png2icons from 'png2icons';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'build', 'generated'));
const svg = readFileSync(path.join(ROOT, 'assets', 'icon.svg'));

const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();

mkdirSync(path.join(out, 'icons'), { recursive: true });
for (const size of LINUX_SIZES) writeFileSync(path.join(out, 'icons', `${size}x${size}.png`), render(size));
const master = render(1024);
const icns = png2icons.createICNS(master, png2icons.BICUBIC2, 0);
// forWinExe: PNG chunks for the large sizes, BMP below 64 px, as Windows' file dialogs expect.
const ico = png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true);
if (!icns || !ico) {
  process.stderr.write('icons: png2icons could not convert the 1024 px render.\n');
  process.exit(1);
}
writeFileSync(path.join(out, 'icon.icns'), icns);
writeFileSync(path.join(out, 'icon.ico'), ico);
process.stdout.write(
  `icons: ${LINUX_SIZES.length} PNGs, icon.icns, icon.ico in ${path.relative(ROOT, out) || '.'}\n`,
);
