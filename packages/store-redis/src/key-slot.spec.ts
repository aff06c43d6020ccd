import { SLOT_COUNT, crc16, keySlot, slotTag } from './key-slot.js';

describe('Redis Cluster key slots', () => {
  it('CRC16-XMODEM matches the cluster specification’s test vector', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('hashes the hash tag when there is one, as CLUSTER KEYSLOT does', () => {
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('bar{hash_tag}')).toBe(2515);
    // An empty tag does not count: the whole key is hashed.
    expect(keySlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % SLOT_COUNT);
    // Only up to the first "}" after the first "{".
    expect(keySlot('foo{{bar}}zap')).toBe(crc16(Buffer.from('{bar')) % SLOT_COUNT);
    // UTF-8 bytes, not UTF-16 units.
    expect(keySlot('{ñ}')).toBe(crc16(Buffer.from('ñ', 'utf8')) % SLOT_COUNT);
  });

  it('finds a tag for every slot', () => {
    for (let slot = 0; slot < SLOT_COUNT; slot++) expect(keySlot(`aic:wake:{${slotTag(slot)}}`)).toBe(slot);
    expect(() => slotTag(SLOT_COUNT)).toThrow(RangeError);
  });
});
