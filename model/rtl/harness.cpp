// harness.cpp: the RTL lockstep harness: drives the Verilated RTL (cohsim_lockstep.v) and the C
// model (refmodel.h) with the same requests and compares every response as it comes.
//
// In the style of Verilator's examples/make_tracing_c/sim_main.cpp, but as a library: each run
// owns one explicit VerilatedContext and its model (no static model, nothing kept between runs),
// and returns its outcome instead of exiting. One RTL request is one clock cycle: the inputs are
// set with the clock low, the combinational response is read, and the rising edge performs it.
// Systems: the machine decides when a store leaves its buffer; the harness replays those drains
// into the RTL in the machine's order (by the cycle each store entered its buffer, then core;
// refmodel.c's timing makes that the machine's order) before the request itself, then compares.
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "Vcohsim_lockstep.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

extern "C" {
#include "model/rng.h"
#include "model/rtl/harness.h"
#include "model/rtl/refmodel.h"
#include "traces/trace.h"
}

namespace {

struct geometry {
    uint32_t sets, ways, line, cores, sb_entries;
};
// cohsim_lockstep.v's instances, by sel.
const geometry geometries[LOCKSTEP_GEOMETRIES] = {
    {64, 8, 64, 0, 0}, {4, 2, 16, 0, 0}, {16, 4, 32, 0, 0}, {8, 1, 16, 0, 0},
    {4, 2, 16, 2, 4},  {4, 2, 32, 4, 2},
};

enum { CMD_NONE, CMD_LOAD, CMD_STORE, CMD_DRAIN, CMD_WRITE };
enum { BUS_NONE, BUS_RD, BUS_RDX, BUS_UPGR };

const char *state_name(unsigned st)
{
    static const char *const names[] = {"I", "S", "E", "O", "M", "?", "?", "?"};
    return names[st & 7];
}

std::string state_text(unsigned st)
{
    return std::string(state_name(st)) + ((st & 8) ? "+dirty" : "");
}

std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

// The Verilated RTL with its context and, optionally, its waveform.
class rtl {
  public:
    rtl(unsigned sel, bool fifo, bool write_back, const char *vcd_path, const char *fault)
        : ctx_(new VerilatedContext), vcd_path_(vcd_path ? vcd_path : "")
    {
        // The fault-seeded RTL asks for its plusargs, which must then have been given.
        std::string plusarg = std::string("+") + (fault ? fault : "no-fault");
        const char *argv[] = {"lockstep", plusarg.c_str()};
        ctx_->commandArgs(2, argv);
        if (vcd_path)
            ctx_->traceEverOn(true);
        top_.reset(new Vcohsim_lockstep{ctx_.get(), "rtl"});
        if (vcd_path) {
            vcd_.reset(new VerilatedVcdC);
            top_->trace(vcd_.get(), 99);
            part_ = vcd_path_ + ".part";
            vcd_->open(part_.c_str());
        }
        top_->sel = sel & 7;
        top_->fifo = fifo;
        top_->write_back = write_back;
        top_->rst = 1;
        begin();
        end();
        top_->rst = 0;
    }
    ~rtl()
    {
        top_->final();
        if (vcd_) {
            vcd_->close();
            if (keep_vcd_)
                std::rename(part_.c_str(), vcd_path_.c_str());
            else
                std::remove(part_.c_str());
        }
    }
    // The waveform is kept only when the run got as far as comparing (not on errors).
    void keep_vcd() { keep_vcd_ = true; }
    Vcohsim_lockstep *operator->() { return top_.get(); }
    // Inputs set: clock low, the combinational response settles.
    void begin()
    {
        top_->clk = 0;
        top_->eval();
        dump();
    }
    // The rising edge performs the request; then the command inputs go idle.
    void end()
    {
        top_->clk = 1;
        top_->eval();
        dump();
        top_->valid = 0;
        top_->cmd = CMD_NONE;
    }
    unsigned peek(uint64_t addr, unsigned core)
    {
        top_->peek_addr = addr;
        top_->eval();
        return (top_->peek_states >> (4 * core)) & 15;
    }
    void slot(unsigned s, uint64_t *addr, unsigned *state, unsigned *rank)
    {
        top_->dbg_slot = s & 0xffff;
        top_->eval();
        *addr = top_->dbg_addr;
        *state = top_->dbg_state;
        *rank = top_->dbg_rank;
    }

  private:
    void dump()
    {
        if (vcd_)
            vcd_->dump(ctx_->time());
        ctx_->timeInc(1);
    }
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vcohsim_lockstep> top_;
    std::unique_ptr<VerilatedVcdC> vcd_;
    std::string vcd_path_, part_;
    bool keep_vcd_ = false;
};

// One way of a set on both sides, for a dump: the C model's slot (valid cv, line ca, state cs)
// and the RTL's, read through its debug port (the replacement rank too when with_rank: the
// coherent systems do not bring it out).
std::string way_text(rtl &hw, uint32_t slot, uint32_t way, bool cv, uint64_t ca, uint8_t cs,
                     bool with_rank)
{
    uint64_t ha;
    unsigned hs, rank;
    hw.slot(slot, &ha, &hs, &rank);
    std::string c = cv ? format("0x%" PRIx64 " %s", ca, state_text(cs).c_str()) : "invalid";
    std::string h = (hs & 7) ? format("0x%" PRIx64 " %s", ha, state_text(hs).c_str()) : "invalid";
    if (with_rank)
        h += format(" rank %u", rank);
    return format("way %u: %s | %s\n", way, c.c_str(), h.c_str());
}

uint64_t rng64(rng_t *r)
{
    uint64_t v = rng_next(r);
    v = v << 31 | rng_next(r);
    return v << 31 | rng_next(r);
}

// ---- caches -------------------------------------------------------------------------------------

// The requests of a cache run: a trace, or random accesses over a pool of lines three times the
// cache's size (so every set sees hits, conflicts and evictions).
class cache_requests {
  public:
    cache_requests(const lockstep_run_t *run, const geometry &g) : run_(run)
    {
        rng_seed(&rng_, run->seed);
        uint32_t lines = 3 * g.sets * g.ways;
        for (uint32_t i = 0; i < lines; i++)
            pool_.push_back((uint64_t)rng_below(&rng_, 16 * lines) * g.line + 0x10000);
        line_ = g.line;
    }
    ~cache_requests() { trace_close(trace_); }
    bool open(char *err, size_t errlen)
    {
        if (run_->trace && !(trace_ = trace_open(run_->trace, nullptr, err, errlen)))
            return false;
        return true;
    }
    // 1 a request, 0 the end, -1 an error in err.
    int next(mem_req_t *r, char *err, size_t errlen)
    {
        if (trace_) {
            int rc = trace_next(trace_, r);
            if (rc < 0)
                snprintf(err, errlen, "%s", trace_error(trace_));
            return rc;
        }
        if (taken_ == run_->requests)
            return 0;
        taken_++;
        *r = mem_req_t{};
        r->addr = pool_[rng_below(&rng_, (uint32_t)pool_.size())] + rng_below(&rng_, line_);
        r->size = 1;
        r->op = rng_below(&rng_, 100) < 35 ? OP_STORE : OP_LOAD;
        return 1;
    }

  private:
    const lockstep_run_t *run_;
    rng_t rng_;
    std::vector<uint64_t> pool_;
    uint32_t line_ = 0;
    uint64_t taken_ = 0;
    trace_t *trace_ = nullptr;
};

std::string cache_dump(rtl &hw, const ref_cache_t *ref, const geometry &g, uint64_t addr)
{
    uint32_t set = (uint32_t)(addr / g.line) % g.sets;
    std::string s = format("set %u after the access (way: C model | RTL, with the RTL's "
                           "replacement rank):\n", set);
    for (uint32_t w = 0; w < g.ways; w++) {
        uint64_t ca;
        uint8_t cs;
        bool cv = ref_cache_slot(ref, set * g.ways + w, &ca, &cs);
        s += "  " + way_text(hw, set * g.ways + w, w, cv, ca, cs, true);
    }
    return s;
}

int run_cache(const lockstep_run_t *run, lockstep_result_t *res, char *err, size_t errlen)
{
    const geometry &g = geometries[run->geometry];
    std::unique_ptr<ref_cache_t, void (*)(ref_cache_t *)> ref(
        ref_cache_create(g.sets, g.ways, g.line, run->fifo, run->write_back, err, errlen),
        ref_cache_destroy);
    if (!ref)
        return -1;
    cache_requests reqs(run, g);
    if (!reqs.open(err, errlen))
        return -1;
    rtl hw(run->geometry, run->fifo, run->write_back, run->vcd, run->fault);
    mem_req_t r;
    int rc;
    while ((rc = reqs.next(&r, err, errlen)) == 1) {
        bool write;
        switch (r.op) {
        case OP_LOAD:
        case OP_IFETCH:
        case OP_MISC:
            write = false;
            break;
        case OP_STORE:
            write = true;
            break;
        default:
            snprintf(err, errlen, "%s: record %" PRIu64 " is a %s: the cache lockstep takes loads, "
                     "stores, fetches and misc accesses", run->trace ? run->trace : "requests",
                     res->requests + 1, op_name((op_t)r.op));
            return -1;
        }
        res->requests++;
        uint64_t last = r.addr + (r.size ? r.size : 1) - 1;
        for (uint64_t a = r.addr; a <= last; a = (a / g.line + 1) * g.line) {
            ref_cache_resp_t c;
            if (ref_cache_access(ref.get(), a, write, &c, err, errlen) != 0)
                return -1;
            hw->valid = 1;
            hw->write = write;
            hw->addr = a;
            hw.begin();
            bool hit = hw->hit, vv = hw->victim_valid, wb = hw->writeback;
            unsigned way = hw->way;
            uint64_t va = hw->victim_addr;
            hw.end();
            res->compared++;
            res->misses += !hit;
            res->writebacks += wb;
            std::string what;
            if (c.hit != hit)
                what = format("hit: C model %d, RTL %d", c.hit, hit);
            else if ((c.hit || c.filled) && c.way != way)
                what = format("way: C model %u, RTL %u", c.way, way);
            else if (c.victim_valid != vv || (vv && c.victim_addr != va))
                what = format("victim: C model %s, RTL %s",
                              c.victim_valid ? format("0x%" PRIx64, c.victim_addr).c_str() : "none",
                              vv ? format("0x%" PRIx64, va).c_str() : "none");
            else if (c.writeback != wb)
                what = format("write-back of the victim: C model %d, RTL %d", c.writeback, wb);
            else if (c.dinero_miss == hit || c.dinero_writeback != wb)
                what = format("Dinero engine: miss %d write-back %d, RTL: miss %d write-back %d",
                              c.dinero_miss, c.dinero_writeback, !hit, wb);
            if (!what.empty()) {
                res->differ = true;
                std::string d = format("request %" PRIu64 " (%s 0x%" PRIx64 ", line access "
                                       "0x%" PRIx64 "): %s\n", res->requests,
                                       write ? "write" : "read", r.addr, a, what.c_str());
                d += cache_dump(hw, ref.get(), g, a);
                snprintf(res->diff, sizeof res->diff, "%s", d.c_str());
                hw.keep_vcd();
                return 0;
            }
        }
    }
    if (rc < 0)
        return -1;
    hw.keep_vcd();
    return 0;
}

// ---- coherent systems ---------------------------------------------------------------------------

struct sb_entry {
    uint64_t addr, data, retired;
};

// The per-step totals the RTL produced, in the machine's statistics' terms.
struct rtl_counts {
    uint64_t accesses[4] = {0}, misses[4] = {0}, forwarded[4] = {0};
    uint64_t bus_transactions = 0, invalidations = 0, interventions = 0, upgrades = 0,
             writebacks = 0;
};

class sys_run {
  public:
    sys_run(const lockstep_run_t *run, lockstep_result_t *res)
        : run_(run), res_(res), g_(geometries[run->geometry]),
          hw_(run->geometry, run->fifo, run->write_back, run->vcd, run->fault)
    {
        rng_seed(&rng_, run->seed);
        // Twice the lines one cache holds, shared by every core: conflicts, evictions and
        // ping-pong all happen.
        uint32_t lines = 2 * g_.sets * g_.ways;
        for (uint32_t i = 0; i < lines; i++)
            pool_.push_back((uint64_t)rng_below(&rng_, 8 * lines) * g_.line + 0x40000);
        sbq_.resize(g_.cores);
    }
    int go(char *err, size_t errlen)
    {
        ref_sys_config_t cfg = {g_.cores, g_.sets, g_.ways, g_.line, run_->fifo,
                                run_->write_back, run_->store_buffers ? g_.sb_entries : 0};
        int rc = ref_sys_run(&cfg, next_cb, check_cb, end_cb, this, err, errlen);
        if (rc < 0)
            return -1;
        hw_.keep_vcd();
        return 0;
    }

  private:
    static int next_cb(void *o, mem_req_t *r) { return static_cast<sys_run *>(o)->next(r); }
    static int check_cb(void *o, const ref_sys_t *s, const mem_req_t *r, const ref_sys_view_t *v)
    {
        return static_cast<sys_run *>(o)->step(s, r, v, false);
    }
    static int end_cb(void *o, const ref_sys_t *s, const mem_req_t *r, const ref_sys_view_t *v)
    {
        return static_cast<sys_run *>(o)->step(s, r, v, true);
    }

    int next(mem_req_t *r)
    {
        if (taken_ == run_->requests)
            return 0;
        taken_++;
        *r = mem_req_t{};
        r->cpu = (uint16_t)rng_below(&rng_, g_.cores);
        r->addr = pool_[rng_below(&rng_, (uint32_t)pool_.size())] + 8 * rng_below(&rng_, g_.line / 8);
        r->size = 8;
        unsigned dice = rng_below(&rng_, 100);
        if (dice < 45) {
            r->op = OP_LOAD;
        } else if (dice < 92 || !run_->store_buffers) {
            r->op = OP_STORE;
            r->value = rng64(&rng_);
            r->flags = REQ_HAS_VALUE;
        } else {
            r->op = OP_FENCE;
        }
        return 1;
    }

    // One RTL cycle of command cmd for core `core`; adds its work to k. Returns the response.
    struct response {
        bool forwarded, full;
        uint64_t fwd_data, drain_addr, drain_data;
    };
    response cycle(unsigned cmd, unsigned core, uint64_t addr, uint64_t data, rtl_counts *k)
    {
        hw_->cmd = cmd & 7;
        hw_->core = core & 3;
        hw_->addr = addr;
        hw_->data = data;
        hw_.begin();
        response out = {hw_->forwarded != 0, hw_->sb_full != 0, hw_->fwd_data, hw_->drain_addr,
                        hw_->drain_data};
        if (out.forwarded) {
            k->forwarded[core]++;
        } else if (cmd == CMD_LOAD || cmd == CMD_DRAIN || cmd == CMD_WRITE) {
            k->accesses[core]++;
            k->misses[core] += !hw_->hit;
        }
        unsigned bus = hw_->bus;
        k->bus_transactions += (bus != BUS_NONE) + hw_->snoop_writeback + hw_->writeback;
        k->writebacks += hw_->snoop_writeback + hw_->writeback;
        k->upgrades += bus == BUS_UPGR;
        k->invalidations += hw_->invalidations;
        k->interventions += hw_->interventions;
        res_->compared += bus != BUS_NONE;
        hw_.end();
        return out;
    }

    // core's oldest store performs in the RTL; it must be the one the harness pushed first.
    void drain(unsigned core, rtl_counts *k)
    {
        sb_entry e = sbq_[core].front();
        sbq_[core].pop_front();
        response o = cycle(CMD_DRAIN, core, 0, 0, k);
        if ((o.drain_addr != e.addr || o.drain_data != e.data) && problem_.empty())
            problem_ = format("core %u's store buffer drained 0x%" PRIx64 " = 0x%" PRIx64
                              ", but its oldest store is 0x%" PRIx64 " = 0x%" PRIx64, core,
                              o.drain_addr, o.drain_data, e.addr, e.data);
        mem_[e.addr] = e.data;
    }

    int step(const ref_sys_t *s, const mem_req_t *r, const ref_sys_view_t *v, bool at_end);

    std::string dump(const ref_sys_t *s, const mem_req_t *r, bool at_end);

    const lockstep_run_t *run_;
    lockstep_result_t *res_;
    geometry g_;
    rtl hw_;
    rng_t rng_;
    std::vector<uint64_t> pool_;
    uint64_t taken_ = 0;
    std::vector<std::deque<sb_entry>> sbq_;
    std::unordered_map<uint64_t, uint64_t> mem_;
    ref_sys_view_t prev_ = {};
    std::string problem_;
    uint64_t bad_line_ = UINT64_MAX;
};


int sys_run::step(const ref_sys_t *s, const mem_req_t *r, const ref_sys_view_t *v, bool at_end)
{
    rtl_counts k;
    unsigned cpu = r->cpu;
    bool push = !at_end && run_->store_buffers && r->op == OP_STORE;
    if (!at_end)
        res_->requests++;

    // The stores the machine drained since the last request, replayed in its order.
    unsigned left[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < g_.cores && problem_.empty(); i++) {
        long had = (long)sbq_[i].size() + (push && i == cpu);
        long drained = had - (long)v->sb_count[i];
        if (drained < 0 || drained > (long)sbq_[i].size())
            problem_ = format("core %u's store buffer: the C model holds %u stores, the RTL "
                              "%ld before this request's own", i, v->sb_count[i],
                              (long)sbq_[i].size());
        else
            left[i] = (unsigned)drained;
    }
    while (problem_.empty()) {
        int first = -1;
        for (unsigned i = 0; i < g_.cores; i++)
            if (left[i] && (first < 0 || sbq_[i].front().retired < sbq_[first].front().retired))
                first = (int)i;
        if (first < 0)
            break;
        drain((unsigned)first, &k);
        left[first]--;
    }

    if (!at_end && problem_.empty()) {
        if (r->op == OP_LOAD) {
            response o = cycle(CMD_LOAD, cpu, r->addr, 0, &k);
            uint64_t value = o.forwarded ? o.fwd_data : mem_[r->addr];
            if (value != v->value)
                problem_ = format("the load read 0x%" PRIx64 " in the C model, 0x%" PRIx64
                                  " in the RTL (%s)", v->value, value,
                                  o.forwarded ? "forwarded from its store buffer" : "from memory");
        } else if (r->op == OP_STORE && push) {
            response o = cycle(CMD_STORE, cpu, r->addr, r->value, &k);
            if (o.full)
                problem_ = format("core %u's store buffer is full in the RTL; the C model "
                                  "took the store", cpu);
            sbq_[cpu].push_back({r->addr, r->value, v->issued});
        } else if (r->op == OP_STORE) {
            cycle(CMD_WRITE, cpu, r->addr, r->value, &k);
            mem_[r->addr] = r->value;
        }
    }

    // Every count, then every core's state of every line, then memory.
    const char *const names[] = {"L1D accesses", "L1D misses", "loads forwarded"};
    for (unsigned i = 0; i < g_.cores && problem_.empty(); i++) {
        uint64_t c[3] = {v->l1_accesses[i] - prev_.l1_accesses[i],
                         v->l1_misses[i] - prev_.l1_misses[i],
                         v->forwarded[i] - prev_.forwarded[i]};
        uint64_t h[3] = {k.accesses[i], k.misses[i], k.forwarded[i]};
        for (unsigned j = 0; j < 3 && problem_.empty(); j++)
            if (c[j] != h[j])
                problem_ = format("core %u's %s in this step: C model %" PRIu64 ", RTL %" PRIu64,
                                  i, names[j], c[j], h[j]);
        unsigned hc = (hw_->sb_counts >> (8 * i)) & 255;
        if (problem_.empty() && hc != v->sb_count[i])
            problem_ = format("core %u's store buffer holds %u stores in the C model, %u in the "
                              "RTL", i, v->sb_count[i], hc);
    }
    const struct {
        const char *name;
        uint64_t c, h;
    } coh[] = {
        {"bus transactions", v->coh.bus_transactions - prev_.coh.bus_transactions, k.bus_transactions},
        {"invalidations", v->coh.invalidations - prev_.coh.invalidations, k.invalidations},
        {"interventions", v->coh.interventions - prev_.coh.interventions, k.interventions},
        {"upgrades", v->coh.upgrades - prev_.coh.upgrades, k.upgrades},
        {"write-backs", v->coh.writebacks - prev_.coh.writebacks, k.writebacks},
    };
    for (const auto &x : coh)
        if (problem_.empty() && x.c != x.h)
            problem_ = format("%s in this step: C model %" PRIu64 ", RTL %" PRIu64, x.name, x.c, x.h);
    for (uint64_t line : pool_) {
        if (!problem_.empty())
            break;
        hw_->peek_addr = line;
        hw_->eval();
        unsigned states = hw_->peek_states;
        for (unsigned i = 0; i < g_.cores && problem_.empty(); i++) {
            unsigned c = ref_sys_line_state(s, i, line), h = (states >> (4 * i)) & 15;
            if (c != h) {
                problem_ = format("core %u's state of line 0x%" PRIx64 ": C model %s, RTL %s", i,
                                  line, state_text(c).c_str(), state_text(h).c_str());
                bad_line_ = line;
            }
        }
        for (uint64_t a = line; a < line + g_.line && problem_.empty(); a += 8) {
            uint64_t c = ref_sys_mem_word(s, a), h = mem_.count(a) ? mem_[a] : 0;
            if (c != h)
                problem_ = format("memory at 0x%" PRIx64 ": C model 0x%" PRIx64 ", RTL side 0x%"
                                  PRIx64, a, c, h);
        }
    }
    prev_ = *v;
    if (problem_.empty())
        return 0;
    res_->differ = true;
    std::string d = at_end ? std::string("after the final drain")
                           : format("request %" PRIu64 " (core %u %s 0x%" PRIx64 ")",
                                    res_->requests, cpu, op_name((op_t)r->op), r->addr);
    d += ": " + problem_ + "\n" + dump(s, r, at_end);
    snprintf(res_->diff, sizeof res_->diff, "%s", d.c_str());
    return 1;
}

// Both sides' state where the difference showed: every core's state of the line (and of the
// request's), the store buffers, and the set of that line in the requesting core's L1D.
std::string sys_run::dump(const ref_sys_t *s, const mem_req_t *r, bool at_end)
{
    std::string out;
    std::vector<uint64_t> lines;
    if (bad_line_ != UINT64_MAX)
        lines.push_back(bad_line_);
    uint64_t req_line = r->addr / g_.line * g_.line;
    if (!at_end && req_line != bad_line_)
        lines.push_back(req_line);
    for (uint64_t line : lines) {
        hw_->peek_addr = line;
        hw_->eval();
        out += format("  line 0x%" PRIx64 " (C model | RTL):", line);
        for (unsigned i = 0; i < g_.cores; i++)
            out += format(" core %u %s | %s;", i, state_text(ref_sys_line_state(s, i, line)).c_str(),
                          state_text((hw_->peek_states >> (4 * i)) & 15).c_str());
        out += "\n";
    }
    out += "  store buffers (C model | RTL):";
    for (unsigned i = 0; i < g_.cores; i++)
        out += format(" core %u %u | %u;", i, ref_sys_sb_count(s, i),
                      (unsigned)(hw_->sb_counts >> (8 * i)) & 255);
    out += "\n";
    uint64_t line = lines.empty() ? req_line : lines[0];
    uint32_t set = (uint32_t)(line / g_.line) % g_.sets;
    unsigned core = at_end ? 0 : r->cpu;
    out += format("  core %u's L1D set %u (way: C model | RTL):\n", core, set);
    hw_->core = core & 3;
    for (uint32_t w = 0; w < g_.ways; w++) {
        uint64_t ca;
        uint8_t cs;
        bool cv = ref_sys_slot(s, core, set * g_.ways + w, &ca, &cs);
        out += "    " + way_text(hw_, set * g_.ways + w, w, cv, ca, cs, false);
    }
    return out;
}

}  // namespace

extern "C" int lockstep_execute(const lockstep_run_t *run, lockstep_result_t *res, char *err,
                                size_t errlen)
{
    *res = lockstep_result_t{};
    if (run->geometry >= LOCKSTEP_GEOMETRIES) {
        snprintf(err, errlen, "geometry %u: expected 0 to %u", run->geometry,
                 LOCKSTEP_GEOMETRIES - 1);
        return -1;
    }
    if (geometries[run->geometry].cores == 0)
        return run_cache(run, res, err, errlen);
    if (run->trace) {
        snprintf(err, errlen, "a trace drives the cache lockstep only");
        return -1;
    }
    sys_run s(run, res);
    return s.go(err, errlen);
}
