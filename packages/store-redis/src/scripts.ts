/**
 * The Lua scripts of the Redis stores. Each touches the keys of one hash tag only (one slot), so
 * each runs on one Redis Cluster node. Versions and claims live in the connection's record hash:
 * `r` the record, `v` its version counter (never deleted, so a version never repeats), `c` an
 * unresolved grant spend (`<owner>|<server ms>`). Times come from the server (`TIME`), never from
 * a host's clock.
 */
import { RedisScript } from './redis-commands.js';

/**
 * Takes the connection's lock. KEYS: record, lock, wait. ARGV: owner, ttl ms.
 * Granted: `{1, record or '', version or ''}` (the locked read costs nothing more). Busy:
 * `{0, ms left}`, and the wait flag is set so the holder's release publishes a wake-up.
 */
export const ACQUIRE = new RedisScript(`
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local h = redis.call('HMGET', KEYS[1], 'r', 'v')
  return {1, h[1] or '', h[2] or ''}
end
local left = redis.call('PTTL', KEYS[2])
if left < 1 then left = 1 end
redis.call('SET', KEYS[3], '1', 'PX', left)
return {0, left}
`);

/**
 * A fenced write (or delete, when the value is ''). KEYS: record, lock, wait. ARGV: expected
 * version ('' unconditional, 'absent', or a number), value, owner ('' outside a lock), channel,
 * store key. Writes only when the stored version is the expected one (else `{-1}`), gives the
 * record the next version, clears any grant spend (a write resolves it), and — when `owner` still
 * holds the lock — releases the lock and wakes the waiters with the new record in the same step:
 * `{version, 1}`; otherwise `{version, 0}`.
 */
export const WRITE = new RedisScript(`
local h = redis.call('HMGET', KEYS[1], 'r', 'v')
if ARGV[1] == 'absent' then
  if h[1] then return {-1} end
elseif ARGV[1] ~= '' then
  if (not h[1]) or h[2] ~= ARGV[1] then return {-1} end
end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], 'r', 'c')
else
  redis.call('HSET', KEYS[1], 'r', ARGV[2])
  redis.call('HDEL', KEYS[1], 'c')
end
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
  if redis.call('DEL', KEYS[3]) == 1 then
    redis.call('SPUBLISH', ARGV[4], cjson.encode({ARGV[5], tostring(v), ARGV[2]}))
  end
  return {v, 1}
end
return {v, 0}
`);

/**
 * Gives the lock up. KEYS: record, lock, wait. ARGV: owner, keep claim ('1' / '0'), channel, store
 * key. Unless told to keep it, drops this owner's grant spend (its call ended and it is alive to
 * say so). Deletes the lock only if `owner` still holds it (`0` otherwise: it lapsed) and then
 * wakes the waiters with the current record.
 */
export const RELEASE = new RedisScript(`
if ARGV[2] ~= '1' then
  local c = redis.call('HGET', KEYS[1], 'c')
  if c and string.sub(c, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then redis.call('HDEL', KEYS[1], 'c') end
end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
if redis.call('DEL', KEYS[3]) == 1 then
  local h = redis.call('HMGET', KEYS[1], 'r', 'v')
  redis.call('SPUBLISH', ARGV[3], cjson.encode({ARGV[4], h[2] or '', h[1] or ''}))
end
return 1
`);

/**
 * Records that `owner` is about to send the stored grant's refresh token. KEYS: record, lock.
 * ARGV: owner, the version the owner read ('' to skip the check, 'absent', or a number).
 * `{'ok'}`; `{'lost'}` when the lock is no longer `owner`'s; `{'conflict'}` when the record moved
 * on since it was read; `{'claimed', age ms}` when another holder spent this grant and neither
 * wrote nor came back to release (it crashed or stalled past its lease).
 */
export const SPEND = new RedisScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {'lost'} end
local h = redis.call('HMGET', KEYS[1], 'r', 'v', 'c')
if ARGV[2] ~= '' then
  local current = 'absent'
  if h[1] then current = h[2] end
  if current ~= ARGV[2] then return {'conflict'} end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if h[3] then
  local sep = string.find(h[3], '|', 1, true)
  if sep and string.sub(h[3], 1, sep - 1) ~= ARGV[1] then
    return {'claimed', now - (tonumber(string.sub(h[3], sep + 1)) or now)}
  end
end
redis.call('HSET', KEYS[1], 'c', ARGV[1] .. '|' .. now)
return {'ok'}
`);

/**
 * Adds a pending authorization's digest to its connection's index. KEYS: index. ARGV: digest,
 * ttl ms. The index lives as long as its longest-lived member.
 */
export const INDEX_PENDING = new RedisScript(`
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);
