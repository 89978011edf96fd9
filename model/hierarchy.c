/* hierarchy.c: one core's accesses through its private caches, the transactions they put on the
 * bus (bus.h) and what the other agents do on seeing them, the shared last level, and the
 * invariant checks. Cache maintenance is maintenance.c's; line changes are hier_lines.h's.
 *
 * Representation: hier_lines.h. Memory always holds the latest performed bytes, so a transfer
 * moves state and timing, not data. Non-snooping I-caches are outside coherence: they keep the
 * bytes they were filled with, and fill from the point of unification, below the L1Ds: while a
 * line is dirty in an L1D, the bytes it had there are kept in that L1D's data (machine_priv.h).
 */
#include <stdio.h>
#include <string.h>

#include "hier_access.h"
#include "hier_lines.h"

__attribute__((cold, noinline)) void hier_observe_line(machine_t *m, obs_kind_t kind,
                                                       const core_t *c, const cache_t *k,
                                                       uint64_t line, uint8_t old, uint8_t st,
                                                       obs_reason_t why)
{
    machine_emit(m, &(obs_event_t){.kind = kind, .cycle = m->obs_now, .cpu = c ? (int)c->id : -1,
                                   .addr = line, .level = (uint8_t)level_of(m, c, k),
                                   .old_state = old, .new_state = st, .reason = (uint8_t)why});
}

__attribute__((noinline)) void hier_filter_owner(machine_t *m, core_t *c, uint64_t line,
                                                  bool owns)
{
    sf_note_owner(&m->bus.filter, line, c->id, owns);
}

__attribute__((noinline)) void hier_filter_note(machine_t *m, core_t *c, const cache_t *k,
                                                 uint64_t line, bool gained, uint8_t st)
{
    if (gained) {
        bool owns = m->bus.owners && k == c->coherent[0] && owning(st);
        if (!sf_add_as(&m->bus.filter, line, c->id, owns))
            bus_stop_filtering(&m->bus);
        return;
    }
    /* Without an L2, the agent keeps the line while its other coherent cache holds it: in S
     * when that is the I-cache. */
    const cache_t *other = k == c->coherent[0] ? c->coherent[1] : c->coherent[0];
    if (!other || cache_probe(other, line) < 0)
        sf_remove(&m->bus.filter, line, c->id);
    else if (m->bus.owners && k == c->coherent[0])
        hier_filter_owner(m, c, line, false);
}

uint8_t hier_agent_state(const machine_t *m, const core_t *c, uint64_t line)
{
    int32_t s;
    if (c->l2) {
        s = cache_probe(c->l2, line);
        return s >= 0 ? state_of(c->l2, s) : LINE_I;
    }
    s = cache_probe(c->l1d, line);
    if (s >= 0)
        return state_of(c->l1d, s);
    if (snooping_l1i(m, c) && cache_probe(c->l1i, line) >= 0)
        return LINE_S;
    return LINE_I;
}

static void llc_evict_slot(machine_t *m, int32_t slot, uint64_t now);

/* A write into the shared level (a write-back from a core, or a write that bypasses a core's
 * caches). Allocates in the LLC; without one, memory takes it. */
uint64_t hier_llc_write(machine_t *m, uint64_t line, uint64_t now, obs_reason_t why)
{
    if (!m->llc)
        return m->cfg.mem_latency;
    cache_stats_t *st = stats_of(m->llc);
    st->accesses[ACCESS_WRITE]++;
    cache_classify(m->llc, line, ACCESS_WRITE);
    int32_t s = cache_probe(m->llc, line);
    if (s >= 0) {
        cache_hit(m->llc, s);
        set_state_byte(m->llc, s, LINE_S | LINE_DIRTY);
        return latency(m->llc);
    }
    st->misses[ACCESS_WRITE]++;
    if (!cfg_of(m->llc)->write_allocate)
        return latency(m->llc) + m->cfg.mem_latency;
    s = cache_victim(m->llc, line);
    llc_evict_slot(m, s, now);
    fill_line(m, NULL, m->llc, s, line, LINE_S | LINE_DIRTY, why);
    return latency(m->llc);
}

void hier_writeback_to_shared(machine_t *m, core_t *from, uint64_t line, uint64_t now,
                              obs_reason_t why)
{
    /* The no-writeback fault (faults.h): an evicted modified line is dropped, and its stores
     * with it. */
    if (__builtin_expect(m->cfg.faults & FAULT_BIT(NO_WRITEBACK), 0) && why == OBS_REASON_EVICTION) {
        monitor_lose_line(m, line);
        return;
    }
    note_writeback(m, from, outer_private(from), line, why);
    m->bus.stats.writebacks++;
    bus_occupy(&m->bus, now);
    hier_llc_write(m, line, now, why);
}

/* Make room in the LLC: a dirty victim goes to memory; an inclusive LLC takes the line out of
 * every core first (a core's dirty copy goes to memory with it). */
static void llc_evict_slot(machine_t *m, int32_t slot, uint64_t now)
{
    uint8_t vst = state_byte(m->llc, slot);
    if ((vst & LINE_STATE_MASK) == LINE_I)
        return;
    uint64_t vline = slot_addr(m->llc, slot);
    if (m->cfg.llc_inclusive) {
        /* The cores that hold the line (all of them when the bus broadcasts: the others are
         * passed over below), taken before the loop takes it out of them. */
        uint64_t holders = m->bus.filtering ? sf_agents(&m->bus.filter, vline)
                                            : ~0ull >> (64 - m->cfg.cores);
        for (; holders; holders &= holders - 1) {
            core_t *o = &m->core[__builtin_ctzll(holders)];
            uint8_t st = hier_agent_state(m, o, vline);
            if (st == LINE_I && !(o->l1i && cache_probe(o->l1i, vline) >= 0 && snooping_l1i(m, o)))
                continue;
            if (owned_dirty(st)) {
                note_writeback(m, o, outer_private(o), vline, OBS_REASON_INCLUSION);
                m->bus.stats.writebacks++;
                vst |= LINE_DIRTY;
            }
            agent_invalidate(m, o, vline, -1, OBS_REASON_INCLUSION);
            m->bus.stats.invalidations++;
        }
    }
    if (vst & LINE_DIRTY) {
        note_writeback(m, NULL, m->llc, vline, OBS_REASON_EVICTION);
        bus_occupy(&m->bus, now);
    }
    drop_line(m, NULL, m->llc, slot, OBS_REASON_EVICTION);
}

/* A read that no cache supplied: the LLC, else memory. */
static uint64_t llc_read(machine_t *m, uint64_t line, access_kind_t kind, uint64_t now)
{
    if (!m->llc)
        return m->cfg.mem_latency;
    cache_stats_t *st = stats_of(m->llc);
    st->accesses[kind]++;
    cache_classify(m->llc, line, kind);
    int32_t s = cache_probe(m->llc, line);
    if (s >= 0) {
        cache_hit(m->llc, s);
        return latency(m->llc);
    }
    st->misses[kind]++;
    s = cache_victim(m->llc, line);
    llc_evict_slot(m, s, now);
    fill_line(m, NULL, m->llc, s, line, LINE_S,
              kind == ACCESS_WRITE ? OBS_REASON_WRITE : OBS_REASON_READ);
    return latency(m->llc) + m->cfg.mem_latency;
}

/* For the observer: the agent among targets that will supply req's line (the first whose snoop
 * rule says so), -1 when none does and the LLC or memory will. */
static int bus_supplier(const machine_t *m, const bus_req_t *req, uint64_t targets)
{
    for (; targets; targets &= targets - 1) {
        unsigned i = (unsigned)__builtin_ctzll(targets);
        uint8_t st = hier_agent_state(m, &m->core[i], req->line);
        if (st != LINE_I && coherence_snoop(m->cfg.protocol, st, req->ev)->supplies)
            return (int)i;
    }
    return -1;
}

static __attribute__((cold, noinline)) void observe_bus(machine_t *m, const bus_req_t *req,
                                                        uint64_t targets, uint64_t start)
{
    m->obs_now = start;
    machine_emit(m, &(obs_event_t){.kind = OBS_BUS, .cycle = start, .cpu = (int)req->requester,
                                   .addr = req->line, .bus = (uint8_t)req->ev,
                                   .requester = (int)req->requester,
                                   .supplier = bus_supplier(m, req, targets)});
}

/* Core o loses its copy of line without writing it back (the requester takes the dirty data on):
 * when its L1D holds the line dirty, the point of unification still has the older bytes, which
 * the requester's L1D must keep when it dirties the line. */
static __attribute__((cold, noinline)) void pou_hand_off(machine_t *m, const core_t *o,
                                                          uint64_t line)
{
    int32_t s = cache_probe(o->l1d, line);
    if (s < 0 || !(state_byte(o->l1d, s) & LINE_DIRTY))
        return;
    memcpy(m->pou_handoff, cache_data(o->l1d, s), m->line);
    m->pou_handoff_line = line;
}

void hier_pou_capture(machine_t *m, core_t *c, int32_t s, uint64_t line)
{
    if (m->pou_handoff_line == line) {
        memcpy(cache_data(c->l1d, s), m->pou_handoff, m->line);
        m->pou_handoff_line = UINT64_MAX;
        return;
    }
    memory_read(m->mem, line, cache_data(c->l1d, s), m->line);
}

void hier_pou_read(const machine_t *m, const core_t *fetcher, uint64_t line, uint8_t *out)
{
    memory_read(m->mem, line, out, m->line);
    if (!m->pou_in_l1d)
        return;
    /* A fill that needs the bus snoops the other cores first: a dirty copy the protocol writes
     * back on a read reaches the point of unification before the fill reads it. */
    bool bus_read = fetcher && coherence_proc(m->cfg.protocol, hier_agent_state(m, fetcher, line),
                                              PR_RD)->bus != BUS_NONE;
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        const core_t *o = &m->core[i];
        int32_t s = cache_probe(o->l1d, line);
        if (s < 0 || !(state_byte(o->l1d, s) & LINE_DIRTY))
            continue;
        if (bus_read && o != fetcher &&
            coherence_snoop(m->cfg.protocol, state_of(o->l1d, s), BUS_RD)->writes_back)
            continue;
        memcpy(out, cache_data(o->l1d, s), m->line);
        return; /* one L1D at most holds a line dirty */
    }
}

/* Transaction req on the bus (bus.h): each agent the bus names applies the protocol's snoop
 * rule; the data comes from a peer that supplies it, else from the LLC or memory (when
 * req->fetch). Returns the requester's cycles; *shared says whether another agent keeps a copy. */
static uint64_t snoop_transaction(machine_t *m, const bus_req_t *req, bool *shared)
{
    uint64_t start = bus_grant(&m->bus, req);
    uint64_t lat = (start - req->now) + m->bus.latency;
    uint64_t line = req->line;
    bus_event_t ev = req->ev;
    uint64_t targets;
    bool supplied = false, others = false;
    m->pou_handoff_line = UINT64_MAX; /* a hand-off lives from its transaction to the write */
    *shared = false;
    /* A read changes nothing at a core holding the line in S but that it keeps a copy (when the
     * protocol says so; the machine then keeps owners in the filter), so only the owner, if any,
     * need see it. The filter's agents are the filtering bus's targets (bus_filtered), taken
     * here with the owner from one search. */
    if (ev == BUS_RD && m->bus.owners) {
        unsigned owner;
        targets = sf_agents_owner(&m->bus.filter, line, &owner) & ~(1ull << req->requester);
        others = targets != 0;
        targets = owner == SF_NO_OWNER ? 0 : targets & 1ull << owner;
    } else {
        targets = bus_targets(&m->bus, req, m->cfg.cores);
    }
    if (__builtin_expect(m->obs != NULL, 0))
        observe_bus(m, req, targets, start);
    for (; targets; targets &= targets - 1) {
        core_t *o = &m->core[__builtin_ctzll(targets)];
        /* The agent state, keeping the L2 slot for the update below. The slot stays the line's:
         * a write-back into the LLC evicts (and may back-invalidate) only other lines. */
        int32_t s2 = -1;
        uint8_t st;
        if (o->l2) {
            if ((s2 = cache_probe_set(o->l2, line)) < 0)
                continue;
            st = state_of(o->l2, s2);
        } else if ((st = hier_agent_state(m, o, line)) == LINE_I) {
            continue;
        }
        const snoop_rule_t *r = coherence_snoop(m->cfg.protocol, st, ev);
        if (m->pou_in_l1d && r->next == LINE_I && !r->writes_back)
            pou_hand_off(m, o, line);
        if (r->supplies) {
            supplied = true;
            m->bus.stats.interventions++;
        }
        if (r->writes_back)
            hier_writeback_to_shared(m, o, line, start, OBS_REASON_SNOOP);
        if (r->next == LINE_I) {
            agent_invalidate(m, o, line, s2, OBS_REASON_SNOOP);
            m->bus.stats.invalidations++;
        } else {
            /* Keeping the state (S or O seeing a read) changes nothing: only M and O are dirty. */
            if (r->next != st)
                agent_set_state(m, o, line, s2, r->next, OBS_REASON_SNOOP);
            *shared = true;
        }
    }
    *shared = *shared || others;
    if (req->fetch && ev != BUS_UPGR && !supplied)
        lat += llc_read(m, line, (access_kind_t)req->kind, start);
    return lat;
}

/* x86 keeps instruction fetch coherent with the core's own stores too. */
static inline __attribute__((always_inline)) void drop_own_icache_copy(machine_t *m, core_t *c,
                                                                     uint64_t line)
{
    if (!snooping_l1i(m, c))
        return;
    int32_t s = cache_probe(c->l1i, line);
    if (s >= 0)
        drop_line(m, c, c->l1i, s, OBS_REASON_WRITE);
}

/* Install line in c's L2 in state st, evicting (and back-invalidating) a victim. */
static void l2_install(machine_t *m, core_t *c, uint64_t line, uint8_t st, uint64_t now,
                       obs_reason_t why)
{
    int32_t s = cache_victim(c->l2, line);
    uint8_t vst = state_byte(c->l2, s);
    if ((vst & LINE_STATE_MASK) != LINE_I) {
        uint64_t vline = slot_addr(c->l2, s);
        note_eviction(m, c, c->l2, s);
        if (owned_dirty(vst & LINE_STATE_MASK))
            hier_writeback_to_shared(m, c, vline, now, OBS_REASON_EVICTION);
        int32_t s1 = cache_probe(c->l1d, vline);
        if (s1 >= 0)
            drop_line(m, c, c->l1d, s1, OBS_REASON_INCLUSION);
        if (snooping_l1i(m, c) && (s1 = cache_probe(c->l1i, vline)) >= 0)
            drop_line(m, c, c->l1i, s1, OBS_REASON_INCLUSION);
    }
    fill_line(m, c, c->l2, s, line, st, why);
}

/* Install line in c's L1D (dirty when dirty), writing a dirty victim back to the L2 or the
 * shared level. */
static void l1d_install(machine_t *m, core_t *c, uint64_t line, uint8_t st, bool dirty, uint64_t now,
                        obs_reason_t why)
{
    cache_t *l1 = c->l1d;
    int32_t s = cache_victim(l1, line);
    uint8_t vst = state_byte(l1, s);
    if ((vst & LINE_STATE_MASK) != LINE_I) {
        uint64_t vline = slot_addr(l1, s);
        if (c->l2) {
            if (vst & LINE_DIRTY) {
                note_writeback(m, c, l1, vline, OBS_REASON_EVICTION);
                cache_stats_t *s2 = stats_of(c->l2);
                s2->accesses[ACCESS_WRITE]++;
                cache_classify_hit(c->l2, vline, ACCESS_WRITE);
                int32_t v2 = cache_probe(c->l2, vline);
                if (v2 >= 0) {
                    cache_hit(c->l2, v2);
                    set_state_byte(c->l2, v2, state_byte(c->l2, v2) | LINE_DIRTY);
                }
            }
        } else if (owned_dirty(vst & LINE_STATE_MASK)) {
            hier_writeback_to_shared(m, c, vline, now, OBS_REASON_EVICTION);
        }
        drop_line(m, c, l1, s, OBS_REASON_EVICTION);
    }
    fill_line(m, c, l1, s, line, (uint8_t)(st | (dirty ? LINE_DIRTY : 0)), why);
    if (dirty && m->pou_in_l1d)
        hier_pou_capture(m, c, s, line);
}

/* Bring line into c's agent for a read or a write below the L1: the L2, else the bus.
 * Returns cycles; *state is the agent's state afterwards. */
static uint64_t fill_from_below(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                                bool write, uint64_t now, uint8_t *state)
{
    uint64_t lat = 0;
    uint8_t st;
    int32_t s2 = -1;
    if (c->l2) {
        cache_stats_t *stats = stats_of(c->l2);
        stats->accesses[kind]++;
        cache_classify(c->l2, line, kind);
        lat += latency(c->l2);
        s2 = cache_probe(c->l2, line);
        if (s2 >= 0) {
            cache_hit(c->l2, s2);
            st = state_of(c->l2, s2);
        } else {
            stats->misses[kind]++;
            st = LINE_I;
        }
    } else {
        st = hier_agent_state(m, c, line);
    }
    const proc_rule_t *r = coherence_proc(m->cfg.protocol, st, write ? PR_WR : PR_RD);
    if (r->bus != BUS_NONE) {
        bool shared;
        bus_req_t req = {.line = line, .now = now + lat, .requester = c->id, .ev = r->bus,
                         .kind = (uint8_t)kind, .fetch = true};
        lat += snoop_transaction(m, &req, &shared);
        st = shared ? r->next_if_shared : r->next;
    } else {
        st = r->next;
    }
    if (write)
        drop_own_icache_copy(m, c, line);
    if (c->l2) {
        /* A hit keeps its slot: with the line in the L2 the transaction is at most an upgrade,
         * which writes nothing back and fetches nothing. A read hit keeps its state. */
        obs_reason_t why = write ? OBS_REASON_WRITE : OBS_REASON_READ;
        if (s2 < 0)
            l2_install(m, c, line, st, now + lat, why);
        else if (st != state_of(c->l2, s2))
            agent_set_state(m, c, line, s2, st, why);
    }
    *state = st;
    return lat;
}

/* The misses of hier_read, hier_write and hier_ifetch are out of line (noinline) so that their
 * hit paths, most accesses, save and restore no registers. */
#define HIER_MISS_PATH __attribute__((noinline))

HIER_MISS_PATH uint64_t hier_read_miss(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                                       uint64_t now)
{
    cache_t *l1 = c->l1d;
    stats_of(l1)->misses[kind]++;
    uint64_t lat = latency(l1);
    uint8_t st;
    lat += fill_from_below(m, c, line, kind, false, now + lat, &st);
    l1d_install(m, c, line, st, false, now + lat, OBS_REASON_READ);
    return lat;
}

/* A write-through L1 passes every write to the level below. */
static uint64_t write_through(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    if (c->l2) {
        stats_of(c->l2)->accesses[ACCESS_WRITE]++;
        cache_classify_hit(c->l2, line, ACCESS_WRITE);
        int32_t s = cache_probe(c->l2, line);
        if (s >= 0) {
            cache_hit(c->l2, s);
            set_state_byte(c->l2, s, state_byte(c->l2, s) | LINE_DIRTY);
        }
        return latency(c->l2);
    }
    /* No private level keeps the data: it is current below, so the copy is clean exclusive. */
    agent_set_state(m, c, line, -1, m->cfg.protocol->clean_sole, OBS_REASON_WRITE_THROUGH);
    return hier_llc_write(m, line, now, OBS_REASON_WRITE_THROUGH);
}

/* A write hit on slot s of the L1D that needs more than marking it dirty. */
HIER_MISS_PATH uint64_t hier_write_hit_slow(machine_t *m, core_t *c, uint64_t line, int32_t s,
                                            uint64_t now)
{
    cache_t *l1 = c->l1d;
    uint64_t lat = latency(l1);
    uint8_t old = state_of(l1, s);
    const proc_rule_t *r = coherence_proc(m->cfg.protocol, old, PR_WR);
    if (r->bus != BUS_NONE) {
        bool shared;
        bus_req_t req = {.line = line, .now = now + lat, .requester = c->id, .ev = r->bus,
                         .kind = ACCESS_WRITE, .fetch = true};
        lat += snoop_transaction(m, &req, &shared);
    }
    drop_own_icache_copy(m, c, line);
    if (old != LINE_M)
        agent_set_state(m, c, line, -1, LINE_M, OBS_REASON_WRITE);
    if (cfg_of(l1)->write_back)
        l1d_mark_dirty(m, c, s, line);
    else
        lat += write_through(m, c, line, now + lat);
    return lat;
}

HIER_MISS_PATH uint64_t hier_write_miss(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1 = c->l1d;
    const cache_config_t *cfg = cfg_of(l1);
    stats_of(l1)->misses[ACCESS_WRITE]++;
    uint64_t lat = cfg->latency;
    uint8_t st;
    if (!cfg->write_allocate) {
        if (c->l2) {
            lat += fill_from_below(m, c, line, ACCESS_WRITE, true, now + lat, &st);
            int32_t s2 = cache_probe(c->l2, line);
            if (s2 >= 0)
                set_state_byte(c->l2, s2, state_byte(c->l2, s2) | LINE_DIRTY);
            return lat;
        }
        /* Write around: take the line from everyone, write it below, keep no copy. */
        bool shared;
        if (hier_agent_state(m, c, line) != LINE_I)
            agent_invalidate(m, c, line, -1, OBS_REASON_WRITE);
        bus_req_t req = {.line = line, .now = now + lat, .requester = c->id, .ev = BUS_RDX,
                         .kind = ACCESS_WRITE, .fetch = false};
        lat += snoop_transaction(m, &req, &shared);
        return lat + hier_llc_write(m, line, now + lat, OBS_REASON_WRITE_THROUGH);
    }
    lat += fill_from_below(m, c, line, ACCESS_WRITE, true, now + lat, &st);
    l1d_install(m, c, line, LINE_M, cfg->write_back, now + lat, OBS_REASON_WRITE);
    if (!cfg->write_back)
        lat += write_through(m, c, line, now + lat);
    return lat;
}

/* drop_own_icache_copy, out of line for hier_write_as's hit path (hier_access.h), which needs
 * it only after an L1I fill found a line modified. */
HIER_MISS_PATH void hier_drop_own_icache_copy(machine_t *m, core_t *c, uint64_t line)
{
    drop_own_icache_copy(m, c, line);
}

uint64_t hier_write(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    return hier_write_as(m, c, line, now, false, NULL);
}

uint64_t hier_write_plain(machine_t *m, core_t *c, uint64_t line, uint64_t now, uint32_t *hint)
{
    return hier_write_as(m, c, line, now, true, hint);
}

HIER_MISS_PATH uint64_t hier_ifetch_miss(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1i = c->l1i;
    stats_of(l1i)->misses[ACCESS_IFETCH]++;
    uint64_t lat = latency(l1i);
    uint8_t st;
    lat += fill_from_below(m, c, line, ACCESS_IFETCH, false, now + lat, &st);
    if (st == LINE_M)
        c->l1i_got_modified = true;
    int32_t s = cache_victim(l1i, line);
    if (m->obs && state_of(l1i, s) != LINE_I)
        note_eviction(m, c, l1i, s);
    fill_line(m, c, l1i, s, line, LINE_S, OBS_REASON_READ);
    hier_pou_read(m, NULL, line, cache_data(l1i, s));
    return lat;
}

HIER_MISS_PATH uint64_t hier_ifetch_without_l1(machine_t *m, core_t *c, uint64_t line,
                                               uint64_t now)
{
    /* A split first level without an I-cache: fetch from below, keep nothing. */
    uint8_t st;
    return fill_from_below(m, c, line, ACCESS_IFETCH, false, now, &st);
}

void hier_ifetch_bytes(machine_t *m, core_t *c, uint64_t addr, unsigned size, uint8_t *out)
{
    for (unsigned i = 0; i < size;) {
        uint64_t a = addr + i;
        uint64_t line = a & ~(uint64_t)(m->line - 1);
        unsigned n = (unsigned)(line + m->line - a);
        if (n > size - i)
            n = size - i;
        int32_t s = c->l1i ? cache_probe(c->l1i, line) : -1;
        if (s >= 0) {
            memcpy(out + i, cache_data(c->l1i, s) + (a - line), n);
        } else if (!m->pou_in_l1d) {
            memory_read(m->mem, a, out + i, n);
        } else {
            uint8_t pou[4096];
            hier_pou_read(m, c, line, pou);
            memcpy(out + i, pou + (a - line), n);
        }
        i += n;
    }
}

/* ---- invariants ------------------------------------------------------------------------------ */

/* The invariants of the states of line, as machine.h states them. */
static int check_line_states(machine_t *m, uint64_t line)
{
    int writer = -1;
    unsigned holders = 0, owner = SF_NO_OWNER;
    uint64_t agents = 0;
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        uint8_t st = hier_agent_state(m, c, line);
        if (st == LINE_I)
            continue;
        holders++;
        agents |= 1ull << i;
        /* (two writers first: the graver fault, and the message --inject no-invalidate shows) */
        if (writable(st)) {
            if (writer >= 0)
                return machine_fail(m, MACHINE_ECHECK,
                                    "line %#llx is writable in cores %d and %u at once",
                                    (unsigned long long)line, writer, i);
            writer = (int)i;
        }
        if (owning(st)) {
            if (owner != SF_NO_OWNER)
                return machine_fail(m, MACHINE_ECHECK,
                                    "line %#llx is owned (E, M or O) in cores %u and %u at once",
                                    (unsigned long long)line, owner, i);
            owner = i;
        }
        int32_t s1 = cache_probe(c->l1d, line);
        if (s1 >= 0 && (state_byte(c->l1d, s1) & LINE_DIRTY) &&
            !owned_dirty(state_of(c->l1d, s1)))
            return machine_fail(m, MACHINE_ECHECK, "core %u: line %#llx is dirty in state %s", i,
                                (unsigned long long)line,
                                coherence_state_name(state_of(c->l1d, s1)));
        if (c->l2) {
            int32_t s2 = cache_probe(c->l2, line);
            if (s1 >= 0 && (s2 < 0 || state_of(c->l2, s2) != state_of(c->l1d, s1)))
                return machine_fail(m, MACHINE_ECHECK,
                                    "core %u: line %#llx is in the L1D (%s) but the L2 has %s", i,
                                    (unsigned long long)line,
                                    coherence_state_name(state_of(c->l1d, s1)),
                                    s2 < 0 ? "no copy" : coherence_state_name(state_of(c->l2, s2)));
            if (snooping_l1i(m, c) && cache_probe(c->l1i, line) >= 0 && s2 < 0)
                return machine_fail(m, MACHINE_ECHECK,
                                    "core %u: line %#llx is in the L1I but not in the L2", i,
                                    (unsigned long long)line);
        }
        if (m->llc && m->cfg.llc_inclusive && cache_probe(m->llc, line) < 0)
            return machine_fail(m, MACHINE_ECHECK,
                                "core %u holds line %#llx that the inclusive LLC does not", i,
                                (unsigned long long)line);
    }
    if (writer >= 0 && holders > 1)
        return machine_fail(m, MACHINE_ECHECK,
                            "line %#llx is writable in core %d but valid in another core too",
                            (unsigned long long)line, writer);
    if (m->bus.filtering && sf_agents(&m->bus.filter, line) != agents)
        return machine_fail(m, MACHINE_ECHECK,
                            "line %#llx: the snoop filter names cores %#llx, but cores %#llx hold it",
                            (unsigned long long)line,
                            (unsigned long long)sf_agents(&m->bus.filter, line),
                            (unsigned long long)agents);
    if (m->bus.owners && agents && sf_owner(&m->bus.filter, line) != owner)
        return machine_fail(m, MACHINE_ECHECK,
                            "line %#llx: the snoop filter names owner %u, but it is %u (%u: none)",
                            (unsigned long long)line, sf_owner(&m->bus.filter, line), owner,
                            SF_NO_OWNER);
    /* A snooping I-cache holds exactly the latest bytes: as configured, which the icache-no-snoop
     * fault does not change. */
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        if (!c->l1i || !m->cfg.icache_snoop)
            continue;
        int32_t s = cache_probe(c->l1i, line);
        if (s < 0)
            continue;
        uint8_t now[4096];
        memory_read(m->mem, line, now, m->line);
        if (memcmp(now, cache_data(c->l1i, s), m->line) != 0)
            return machine_fail(m, MACHINE_ECHECK,
                                "core %u: the snooping I-cache holds stale bytes of line %#llx", i,
                                (unsigned long long)line);
    }
    return 0;
}

int hier_check_line(machine_t *m, uint64_t line)
{
    /* The monitor's invariants first: it has seen the events of this access in their order. */
    int rc = m->mon ? monitor_check(m) : 0;
    if (rc == 0)
        rc = check_line_states(m, line);
    if (rc && m->mon)
        monitor_blame(m);
    return rc;
}

static int check_cache_lines(machine_t *m, const cache_t *c)
{
    if (!c)
        return 0;
    for (uint32_t s = 0; s < cache_slots(c); s++)
        if (state_of(c, (int32_t)s) != LINE_I) {
            int rc = hier_check_line(m, slot_addr(c, (int32_t)s));
            if (rc)
                return rc;
        }
    return 0;
}

int hier_check_all(machine_t *m)
{
    if (m->mon) {
        int rc = monitor_check(m);
        if (rc) {
            monitor_blame(m);
            return rc;
        }
    }
    /* A filter entry for a line no cache holds any more fails hier_check_line; the lines the
     * caches hold are checked below. */
    if (m->bus.filtering) {
        const sfilter_t *f = &m->bus.filter;
        uint64_t used = 0;
        for (uint64_t i = 0; i < sf_cap(f); i++) {
            const sf_entry_t *e = sf_slot(f, i);
            if (e->line == SF_EMPTY)
                continue;
            used++;
            int rc = hier_check_line(m, e->line);
            if (rc)
                return rc;
        }
        if (used != f->used)
            return machine_fail(m, MACHINE_ECHECK,
                                "the snoop filter counts %llu lines but holds %llu",
                                (unsigned long long)f->used, (unsigned long long)used);
    }
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        int rc = check_cache_lines(m, c->l1d);
        if (!rc)
            rc = check_cache_lines(m, c->l2);
        if (!rc)
            rc = check_cache_lines(m, c->l1i);
        if (rc)
            return rc;
    }
    return check_cache_lines(m, m->llc);
}
