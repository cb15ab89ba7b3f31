/**
 * Draws Candor's toolbar icon (a speech bubble with a check mark) as PNGs in public/icon/.
 * Run once when the design changes: `npx tsx scripts/make-icons.ts`. No image tools needed.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function distToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

for (const size of [16, 32, 48, 128]) {
  const image = png(size, (x, y) => {
    const u = (x + 0.5) / size;
    const v = (y + 0.5) / size;
    // Rounded bubble body plus a small tail at the bottom left.
    const r = 0.2;
    const dx = Math.max(0.08 + r - u, 0, u - (0.92 - r));
    const dy = Math.max(0.1 + r - v, 0, v - (0.78 - r));
    const inBody = Math.hypot(dx, dy) <= r;
    const inTail = v >= 0.7 && v <= 0.95 && u >= 0.2 && u <= 0.2 + (0.95 - v) * 0.9;
    if (!inBody && !inTail) return [0, 0, 0, 0];
    const check = distToSegment(u, v, 0.3, 0.45, 0.45, 0.6) < 0.065 || distToSegment(u, v, 0.45, 0.6, 0.72, 0.3) < 0.065;
    return check ? [255, 255, 255, 255] : [26, 86, 219, 255];
  });
  writeFileSync(resolve(import.meta.dirname, `../public/icon/${size}.png`), image);
}
console.log('icons written to public/icon/');
