/**
 * Redis Cluster key slots: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key's hash
 * tag, modulo 16384, as the Redis Cluster specification ("Keys distribution model") defines.
 */

export const SLOT_COUNT = 16_384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** CRC16-XMODEM of `bytes`. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/**
 * The slot of `key`: only the part between the first `{` and the next `}` is hashed when that
 * part is not empty (the hash tag), otherwise the whole key.
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % SLOT_COUNT;
  }
  return crc16(bytes) % SLOT_COUNT;
}

let slotTags: string[] | undefined;

/**
 * A short hash tag that lands in `slot`: a channel named `…{tag}…` is served by the node that
 * owns `slot`, so a script running on that node can `SPUBLISH` to it. Built once (about 170 000
 * CRC16 of 1–4 character strings, a few milliseconds).
 */
export function slotTag(slot: number): string {
  if (slotTags === undefined) {
    const tags: (string | undefined)[] = Array.from({ length: SLOT_COUNT });
    let missing = SLOT_COUNT;
    for (let n = 0; missing > 0; n++) {
      const tag = n.toString(36);
      const at = crc16(Buffer.from(tag, 'latin1')) % SLOT_COUNT;
      if (tags[at] === undefined) {
        tags[at] = tag;
        missing--;
      }
    }
    slotTags = tags as string[];
  }
  const tag = slotTags[slot];
  if (tag === undefined) throw new RangeError(`no slot ${slot}`);
  return tag;
}
