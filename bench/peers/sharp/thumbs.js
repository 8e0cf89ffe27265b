// sharp peer: file paths on standard input (one a line, in order), OUT_DIR and WORKERS as arguments; like the .NET
// peers, each file becomes OUT/<index>.webp, fit inside 400x400 without enlarging, auto-rotated, WebP quality 80,
// effort 4. WORKERS files in flight, one libvips thread each (sharp.concurrency(1)), as Tessera's --parallel does.
'use strict';
const sharp = require('sharp');
const path = require('path');
const [outDir, workersArg] = process.argv.slice(2);
const workers = Number(workersArg);
const files = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
sharp.concurrency(1);
sharp.cache(false);
let next = 0, failed = 0;
async function worker() {
  for (let i = next++; i < files.length; i = next++) {
    const out = path.join(outDir, String(i).padStart(5, '0') + '.webp');
    try {
      await sharp(files[i], { limitInputPixels: 100e6 }).rotate()
        .resize(400, 400, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80, effort: 4 }).toFile(out);
    } catch (e) {
      failed++;
      process.stderr.write(`sharp: ${files[i]}: ${e.message}\n`);
    }
  }
}
require('fs').mkdirSync(outDir, { recursive: true });
Promise.all(Array.from({ length: workers }, worker)).then(() => {
  console.log(`thumbnailed ${files.length - failed}, failed ${failed}`);
  process.exit(failed ? 1 : 0);
});
