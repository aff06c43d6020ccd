/**
 * Scripts of the distributed token request limiter: a counting semaphore per token endpoint origin
 * whose holders expire, with a first-in-first-out queue that hands a freed slot straight to the
 * next live waiter and tells it on a sharded channel. Keys (one hash tag): KEYS[1] holders (ZSET,
 * id → lapses at), KEYS[2] queue (LIST of ids), KEYS[3] waiters (HASH, id → `<deadline>|<process>`),
 * KEYS[4] processes (ZSET, process → counts as gone at). Common ARGV: [1] limit, [2] channel,
 * [3] how long a holder or process stays alive without a heartbeat (ms). Server time only.
 */
import { RedisScript } from './redis-commands.js';

const COMMON = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local alive = tonumber(ARGV[3])
local function fill()
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  local free = limit - redis.call('ZCARD', KEYS[1])
  while free > 0 do
    local id = redis.call('LPOP', KEYS[2])
    if not id then break end
    local w = redis.call('HGET', KEYS[3], id)
    if w then
      redis.call('HDEL', KEYS[3], id)
      local sep = string.find(w, '|', 1, true)
      local deadline = tonumber(string.sub(w, 1, sep - 1))
      local seen = redis.call('ZSCORE', KEYS[4], string.sub(w, sep + 1))
      if deadline > now and seen then
        redis.call('ZADD', KEYS[1], now + alive, id)
        redis.call('SPUBLISH', ARGV[2], id)
        free = free - 1
      end
    end
  end
end
`;

/**
 * ARGV[4] request id, [5] process, [6] how long it waits at most (ms). `1`: a slot is held;
 * `0`: queued (a grant will be published with the id).
 */
export const LIMIT_ACQUIRE = new RedisScript(`${COMMON}
redis.call('ZADD', KEYS[4], now + alive, ARGV[5])
fill()
if redis.call('ZCARD', KEYS[1]) < limit and redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('ZADD', KEYS[1], now + alive, ARGV[4])
  return 1
end
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[4], (now + tonumber(ARGV[6])) .. '|' .. ARGV[5])
return 0
`);

/** ARGV[4] request id: gives its slot back (or its place in the queue) and hands slots on. `1` if it held one. */
export const LIMIT_RELEASE = new RedisScript(`${COMMON}
redis.call('HDEL', KEYS[3], ARGV[4])
local held = redis.call('ZREM', KEYS[1], ARGV[4])
fill()
return held
`);

/** ARGV[4] request id: `1` if it holds a slot (a grant whose message was lost), else `0`. */
export const LIMIT_CHECK = new RedisScript(`${COMMON}
local score = redis.call('ZSCORE', KEYS[1], ARGV[4])
if score and tonumber(score) > now then return 1 end
return 0
`);

/**
 * ARGV[4] process, [5…] the slots it holds: keeps the process and its slots alive, and hands on
 * the slots of processes that stopped answering.
 */
export const LIMIT_HEARTBEAT = new RedisScript(`${COMMON}
redis.call('ZADD', KEYS[4], now + alive, ARGV[4])
for i = 5, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + alive, ARGV[i]) end
fill()
return 1
`);
