// Thumbnails each file named on standard input (one per line, "SOURCE\tOUTPUT") with sharp, as a web app would:
// auto-rotate, fit inside 400x400 without enlarging, sRGB, PNG. A file sharp cannot read gets no output.
'use strict';
const sharp = require('sharp');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
(async () => {
  for (const line of lines) {
    const [src, out] = line.split('\t');
    try {
      await sharp(src, { limitInputPixels: 100e6 }).rotate()
        .resize(400, 400, { fit: 'inside', withoutEnlargement: true }).png().toFile(out);
    } catch (e) {
      process.stderr.write(`sharp: ${src}: ${e.message}\n`);
    }
  }
})();
