import { LuaScript } from '../redis/lua-script';

/**
 * The fair-use charge as Lua, so one round trip decides and counts atomically however many
 * workers charge the same person at once, and the commands Redis runs stay few.
 *
 * A person's limits are one hash, so a script touches one key (one Redis Cluster slot):
 * - `<limit>`: turns counted in the current window, `<limit>@`: when that window ends (ms);
 * - `<limit>!`: until when the person counts as told about a refusal by that limit (ms): the end of
 *   the refused batch (a few seconds), never past the window;
 * - `d:<keyed hash of the message>` (ModeStateKeys.decision): that message's decision: `<at>` when allowed, or
 *   `<at>|<limit>|<resets in ms>|<tell 1/0>|<count>|<window s>` when refused;
 * - `expires`: when the hash expires, `tidy`: when decisions older than their lifetime are next
 *   swept out, `sweep`: how far that sweep got. Fields, so that an ordinary turn reads them with
 *   the rest and needs no PTTL, PEXPIRE or scan.
 * Times come from the caller (ARGV[1]): the workers' clocks are NTP-close, and a TIME call would
 * be one more command per turn.
 */

// ARGV[1] now (ms), ARGV[2] how long decisions are kept (ms), ARGV[3] housekeeping step (ms),
// ARGV[4] how long one refused batch lasts (ms): a refusal after it is told again.
// Every script reads the hash with one HMGET whose fields 2 to 4 are expires, tidy and sweep.
const PRELUDE = `
local key, now, keep, step = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local batch = tonumber(ARGV[4])

-- One page of the sweep of decisions past their lifetime, from cursor; returns where to go on
-- ('0': done). A page a turn keeps each call short however many decisions a flood left.
local function sweep(cursor)
  local page = redis.call('HSCAN', key, cursor, 'COUNT', 500)
  local found, stale = page[2], {}
  for i = 1, #found, 2 do
    local at = tonumber(string.match(found[i + 1], '^%d+')) or 0
    if string.sub(found[i], 1, 2) == 'd:' and at <= now - keep then stale[#stale + 1] = found[i] end
  end
  if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
  return page[1]
end

-- Writes the fields, sweeps a page of old decisions once a step has passed (and on each turn
-- until the sweep is through), and keeps the hash at least until latest (an open window, a told
-- mark, a decision still needed), moving its expiry only when that is later than the one set.
local function save(writes, latest, got)
  local expires, tidy = tonumber(got[2]), tonumber(got[3])
  if not tidy or now >= tidy then
    local cursor = tidy and sweep(got[4] or '0') or '0'
    writes[#writes + 1] = 'sweep'
    writes[#writes + 1] = cursor
    if cursor == '0' then
      writes[#writes + 1] = 'tidy'
      writes[#writes + 1] = now + step
    end
  end
  local keepTo = nil
  if not expires or expires < latest then
    keepTo = latest + step
    writes[#writes + 1] = 'expires'
    writes[#writes + 1] = keepTo
  end
  redis.call('HSET', key, unpack(writes))
  if keepTo then redis.call('PEXPIRE', key, keepTo - now) end
end
`;

/**
 * Charges one turn, or refuses it, or replays the decision already taken for the message. A
 * refusal is replayed only while the window that refused lasts: a message held until it reopens
 * (the burst limit) is then charged afresh.
 * ARGV[5] the message's decision field, then per limit: name, count, window (s).
 * Returns {fresh 1/0, decision}.
 */
const CHARGE = `${PRELUDE}
local field = ARGV[5]
local limits, fields = {}, {field, 'expires', 'tidy', 'sweep'}
for i = 6, #ARGV, 3 do
  limits[#limits + 1] = {name = ARGV[i], count = tonumber(ARGV[i + 1]), window = tonumber(ARGV[i + 2])}
  fields[#fields + 1] = ARGV[i]
  fields[#fields + 1] = ARGV[i] .. '@'
  fields[#fields + 1] = ARGV[i] .. '!'
end
local got = redis.call('HMGET', key, unpack(fields))
if got[1] then
  local at, resets = string.match(got[1], '^(%d+)|[^|]*|(%d+)|')
  if not at or tonumber(at) + tonumber(resets) > now then return {0, got[1]} end
end
local latest, writes = now + keep, {}
-- Every limit is checked before any is counted: a refused turn costs nothing anywhere.
for i, limit in ipairs(limits) do
  local used, ends = tonumber(got[3 * i + 2]) or 0, tonumber(got[3 * i + 3]) or 0
  if ends <= now then used, ends = 0, now + limit.window * 1000 end
  if used >= limit.count then
    local tell = (tonumber(got[3 * i + 4]) or 0) <= now
    local decision = table.concat({ARGV[1], limit.name, ends - now, tell and 1 or 0, limit.count, limit.window}, '|')
    writes = {field, decision}
    if tell then writes[3], writes[4] = limit.name .. '!', math.min(ends, now + batch) end
    save(writes, math.max(latest, ends), got)
    return {1, decision}
  end
  writes[#writes + 1] = limit.name
  writes[#writes + 1] = used + 1
  writes[#writes + 1] = limit.name .. '@'
  writes[#writes + 1] = ends
  latest = math.max(latest, ends)
end
writes[#writes + 1] = field
writes[#writes + 1] = ARGV[1]
save(writes, latest, got)
return {1, ARGV[1]}
`;

/**
 * The deployment's budget refused a turn the person's limits had counted: gives their turn back
 * and records the refusal, told once per refused batch like the person's own limits.
 * ARGV[5] the decision field, ARGV[6] ms until the budget resets, ARGV[7] its count, ARGV[8] its
 * window (s), then the names of the limits that counted the turn. Returns the decision.
 */
const GIVE_BACK = `${PRELUDE}
local field, resets = ARGV[5], tonumber(ARGV[6])
local fields = {'global!', 'expires', 'tidy', 'sweep'}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
local got = redis.call('HMGET', key, unpack(fields))
local tell = (tonumber(got[1]) or 0) <= now
local decision = table.concat({ARGV[1], 'global', resets, tell and 1 or 0, ARGV[7], ARGV[8]}, '|')
local writes, latest = {field, decision}, now + keep
for i = 9, #ARGV do
  local used = tonumber(got[i - 4]) or 0
  if used > 0 then
    writes[#writes + 1] = ARGV[i]
    writes[#writes + 1] = used - 1
  end
end
if tell then
  writes[#writes + 1] = 'global!'
  writes[#writes + 1] = now + math.min(resets, batch)
  latest = math.max(latest, now + math.min(resets, batch))
end
save(writes, latest, got)
return decision
`;

/**
 * The deployment's budget: one counter whose window opens with the first point it counts. A
 * worker process takes points in blocks (leases) and spends them on its own turns, so most turns
 * cost no command here (global-lease.ts). Counting first and taking back what is over the budget
 * keeps a lease at one INCRBY (and a PEXPIRE when the window opens), and the counter never ends a
 * call above the budget. ARGV[1] count, ARGV[2] window (ms), ARGV[3] points wanted, ARGV[4] 1 when
 * the caller knows when the current window ends, so no PTTL is needed unless the window opens.
 * Returns {points granted (0: refused), points counted, ms until the window ends (-1: as known)}.
 */
const LEASE = `
local budget, window, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local used = redis.call('INCRBY', KEYS[1], want)
local opened = used == want
local over = math.min(want, math.max(0, used - budget))
if over > 0 then used = redis.call('DECRBY', KEYS[1], over) end
local left = -1
if opened then
  redis.call('PEXPIRE', KEYS[1], window)
  left = window
elseif ARGV[4] ~= '1' then
  left = redis.call('PTTL', KEYS[1])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[1], window)
    left = window
  end
end
return {want - over, used, left}
`;

// Gives a stopping process's unspent block back to the window it was taken from. Only while the
// counter still exists: a key gone with its window must not come back as a negative count.
const RETURN_LEASE = `
if redis.call('exists', KEYS[1]) == 0 then return 0 end
return redis.call('decrby', KEYS[1], ARGV[1])
`;

export const chargeScripts = {
  charge: new LuaScript(CHARGE),
  giveBack: new LuaScript(GIVE_BACK),
  lease: new LuaScript(LEASE),
  returnLease: new LuaScript(RETURN_LEASE),
};
