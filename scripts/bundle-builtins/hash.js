// createHash() of the CLI bundle (scripts/build-bundle.mjs puts it in place of node:crypto's): SHA-256 and SHA-1
// of small inputs computed in JavaScript, so that a review that fingerprints a few findings does not load
// node:crypto and initialise OpenSSL (~5 ms of CPU and more of wall time in a process that lives 0.2 s).
// The bytes out are node:crypto's (test/bin/bundle-builtins.test.ts compares them). An input past 64 KiB in
// total (tree mode hashes whole headers), another algorithm, or bytes that are not a string or a Buffer go
// to node:crypto itself; so does anything but update() and digest().
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let real;
const crypto = () => (real ??= require('node:crypto'));

/** Inputs above this many bytes in total are hashed by node:crypto. */
const SMALL = 64 * 1024;

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The message padded to whole 64-byte blocks, its bit length big-endian at the end (both algorithms). */
function padded(bytes) {
  const blocks = Math.ceil((bytes.length + 9) / 64);
  const out = new Uint8Array(blocks * 64);
  out.set(bytes);
  out[bytes.length] = 0x80;
  const view = new DataView(out.buffer);
  const bits = bytes.length * 8;
  view.setUint32(out.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(out.length - 4, bits >>> 0);
  return view;
}

function sha256(bytes) {
  const m = padded(bytes);
  const w = new Int32Array(64);
  const h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  for (let at = 0; at < m.byteLength; at += 64) {
    for (let i = 0; i < 16; i++) w[i] = m.getInt32(at + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15];
      const b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return words(h);
}

function sha1(bytes) {
  const m = padded(bytes);
  const w = new Int32Array(80);
  const h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  for (let at = 0; at < m.byteLength; at += 64) {
    for (let i = 0; i < 16; i++) w[i] = m.getInt32(at + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h;
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  return words(h);
}

function words(h) {
  const out = Buffer.alloc(h.length * 4);
  for (let i = 0; i < h.length; i++) out.writeInt32BE(h[i], i * 4);
  return out;
}

const ALGORITHMS = { sha256, sha1 };

/** A Hash that keeps small inputs and digests them in JavaScript; a larger one is handed to node:crypto. */
class SmallHash {
  #algorithm;
  #chunks = [];
  #size = 0;
  #native;
  #done = false;

  constructor(algorithm) {
    this.#algorithm = algorithm;
  }

  #toNative() {
    this.#native = crypto().createHash(this.#algorithm);
    for (const c of this.#chunks) this.#native.update(c);
    this.#chunks = [];
  }

  update(data, encoding) {
    if (this.#done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    if (!this.#native) {
      if (typeof data === 'string') data = Buffer.from(data, encoding ?? 'utf8');
      else if (Buffer.isBuffer(data)) data = Buffer.from(data);
      else this.#toNative();
    }
    if (!this.#native) {
      this.#chunks.push(data);
      this.#size += data.length;
      if (this.#size > SMALL) this.#toNative();
      return this;
    }
    this.#native.update(data, encoding);
    return this;
  }

  digest(encoding) {
    if (this.#done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    this.#done = true;
    if (this.#native) return this.#native.digest(encoding);
    const out = ALGORITHMS[this.#algorithm](this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks));
    return encoding === undefined || encoding === 'buffer' ? out : out.toString(encoding);
  }
}

/** node:crypto's createHash(algorithm, options): the JavaScript hash for 'sha256' and 'sha1' without options. */
export function createHash(algorithm, options) {
  const name = typeof algorithm === 'string' ? algorithm.toLowerCase() : '';
  if (options === undefined && Object.hasOwn(ALGORITHMS, name)) return new SmallHash(name);
  return crypto().createHash(algorithm, options);
}
