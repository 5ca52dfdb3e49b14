// Writes src/favicon.ico (32x32, 32-bit BMP inside an ICO): two linked rings, II's infinity sign. Run once; the output is committed.
import { writeFileSync } from 'node:fs';

const N = 32;
const pixels = Buffer.alloc(N * N * 4);
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const cx = x + 0.5, cy = y + 0.5;
    const d1 = Math.hypot(cx - 10.5, cy - 16), d2 = Math.hypot(cx - 21.5, cy - 16);
    const ring = (d1 >= 4 && d1 <= 8) || (d2 >= 4 && d2 <= 8);
    const row = N - 1 - y; // BMP rows go bottom-up
    const o = (row * N + x) * 4;
    if (ring) {
      const left = cx < 16;
      pixels[o] = left ? 0xa8 : 0xd6; pixels[o + 1] = left ? 0x3f : 0x32; pixels[o + 2] = left ? 0x2b : 0x8a; pixels[o + 3] = 0xff; // BGRA
    }
  }
}
const header = Buffer.alloc(40);
header.writeUInt32LE(40, 0); header.writeInt32LE(N, 4); header.writeInt32LE(N * 2, 8); header.writeUInt16LE(1, 12); header.writeUInt16LE(32, 14);
header.writeUInt32LE(pixels.length, 20);
const mask = Buffer.alloc((N / 8) * N); // all zero: alpha channel decides
const image = Buffer.concat([header, pixels, mask]);
const dir = Buffer.alloc(6 + 16);
dir.writeUInt16LE(0, 0); dir.writeUInt16LE(1, 2); dir.writeUInt16LE(1, 4);
dir.writeUInt8(N, 6); dir.writeUInt8(N, 7); dir.writeUInt16LE(1, 10); dir.writeUInt16LE(32, 12);
dir.writeUInt32LE(image.length, 14); dir.writeUInt32LE(22, 18);
writeFileSync(new URL('../src/favicon.ico', import.meta.url), Buffer.concat([dir, image]));
