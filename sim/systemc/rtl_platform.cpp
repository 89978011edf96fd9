// rtl_platform.cpp: the second example platform, the "SystemC via Verilator" flow: two initiators
// send random loads, stores and fences to the C model behind the TLM binding (cohsim_tlm.h),
// while the Verilated RTL of the same 2-core system (model/rtl/cohsim_coh.v, built with
// verilator --sc) runs as a SystemC module beside it and is fed the same transactions, in the
// order the model executed them, by a driver process that compares as it goes: every load's value
// (forwarded from a store buffer or not), each core's store-buffer occupancy, and both cores'
// MESI state of every line the initiators use, after each transaction.
// The machine is refmodel.h's (the lockstep's sys2 geometry), so drains are replayed as there.
// Prints `systemc-rtl: N transactions compared` or the first difference; exit status 0 or 1.
#include <cinttypes>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "Vcohsim_coh.h"
#include "cohsim_tlm.h"

extern "C" {
#include "model/rng.h"
#include "model/rtl/refmodel.h"
}

using namespace sc_core;

namespace {

const unsigned CORES = 2, SB_ENTRIES = 4, LINE = 16, PER_CORE = 5000;

// What the C model showed after one request, captured in execution order.
struct record {
    mem_req_t req;
    req_result_t res;
    unsigned sb_count[CORES];
    std::vector<uint8_t> states; // per pool line, per core
};

class traffic : public sc_module {
  public:
    tlm_utils::simple_initiator_socket<traffic> socket;
    traffic(sc_module_name name, cohsim_memory &mem, unsigned core, const std::vector<uint64_t> &pool)
        : sc_module(name), socket("socket"), mem_(mem), core_(core), pool_(pool)
    {
        rng_seed(&rng_, 100 + core);
        SC_HAS_PROCESS(traffic);
        SC_THREAD(run);
    }

    bool failed = false;

  private:
    void run()
    {
        sc_time delay = SC_ZERO_TIME;
        for (unsigned n = 0; n < PER_CORE; n++) {
            tlm::tlm_generic_payload tr;
            unsigned char data[8] = {0};
            cohsim_op_extension ext;
            unsigned dice = rng_below(&rng_, 100);
            uint64_t addr = pool_[rng_below(&rng_, (uint32_t)pool_.size())] + 8 * rng_below(&rng_, LINE / 8);
            if (dice < 8) {
                tr.set_command(tlm::TLM_IGNORE_COMMAND);
                tr.set_data_length(0);
                tr.set_extension(&ext);
            } else {
                uint64_t v = (uint64_t)rng_next(&rng_) << 32 | rng_next(&rng_);
                for (unsigned i = 0; i < 8; i++)
                    data[i] = (unsigned char)(v >> (8 * i));
                tr.set_command(dice < 55 ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
                tr.set_address(addr);
                tr.set_data_ptr(data);
                tr.set_data_length(8);
                tr.set_streaming_width(8);
            }
            socket->b_transport(tr, delay);
            if (dice < 8)
                tr.clear_extension(&ext);
            if (tr.get_response_status() != tlm::TLM_OK_RESPONSE) {
                failed = true;
                fprintf(stderr, "core %u: %s\n", core_, tr.get_response_string().c_str());
                break;
            }
            wait(delay + sc_time(rng_below(&rng_, 4), SC_NS));
            delay = SC_ZERO_TIME;
        }
        mem_.finish(core_);
    }
    cohsim_memory &mem_;
    unsigned core_;
    const std::vector<uint64_t> &pool_;
    rng_t rng_;
};

// Drives the Verilated RTL with the records, one clock per command, and compares.
class rtl_driver : public sc_module {
  public:
    sc_signal<bool> clk, rst, fifo, write_back;
    sc_signal<uint32_t> cmd, core, dbg_slot;
    sc_signal<uint64_t> addr, data, peek_addr;
    sc_signal<bool> forwarded, hit, snoop_writeback, victim_valid, victim_writeback, sb_full;
    sc_signal<uint32_t> bus, invalidations, interventions, dbg_state, peek_states, sb_counts;
    sc_signal<uint64_t> fwd_data, victim_addr, drain_addr, drain_data, dbg_addr;
    Vcohsim_coh rtl;
    std::deque<record> records;
    sc_event more;
    bool producer_done = false;
    uint64_t compared = 0;
    std::string problem;

    rtl_driver(sc_module_name name, const std::vector<uint64_t> &pool)
        : sc_module(name), rtl("rtl"), pool_(pool), sbq_(CORES)
    {
        rtl.clk(clk), rtl.rst(rst), rtl.fifo(fifo), rtl.write_back(write_back), rtl.cmd(cmd);
        rtl.core(core), rtl.addr(addr), rtl.data(data), rtl.peek_addr(peek_addr);
        rtl.dbg_slot(dbg_slot), rtl.forwarded(forwarded), rtl.fwd_data(fwd_data), rtl.hit(hit);
        rtl.bus(bus), rtl.invalidations(invalidations), rtl.interventions(interventions);
        rtl.snoop_writeback(snoop_writeback), rtl.victim_valid(victim_valid);
        rtl.victim_addr(victim_addr), rtl.victim_writeback(victim_writeback);
        rtl.drain_addr(drain_addr), rtl.drain_data(drain_data), rtl.sb_counts(sb_counts);
        rtl.sb_full(sb_full), rtl.peek_states(peek_states), rtl.dbg_addr(dbg_addr);
        rtl.dbg_state(dbg_state);
        SC_HAS_PROCESS(rtl_driver);
        SC_THREAD(run);
    }

  private:
    struct entry {
        uint64_t addr, data, retired;
    };
    // Inputs set: clock low, a nanosecond to settle, the response read; then the rising edge.
    void settle()
    {
        clk.write(false);
        wait(1, SC_NS);
    }
    void edge()
    {
        clk.write(true);
        wait(1, SC_NS);
        cmd.write(0);
    }
    void run()
    {
        write_back.write(true);
        rst.write(true);
        settle();
        edge();
        rst.write(false);
        for (;;) {
            while (records.empty() && !producer_done)
                wait(more);
            if (records.empty() || !problem.empty())
                return;
            record r = records.front();
            records.pop_front();
            step(r);
            if (!problem.empty()) {
                problem = format_req(r) + ": " + problem;
                return;
            }
        }
    }
    static std::string format_req(const record &r)
    {
        char b[128];
        snprintf(b, sizeof b, "transaction %s by core %u at 0x%" PRIx64, op_name((op_t)r.req.op),
                 r.req.cpu, r.req.addr);
        return b;
    }
    void step(const record &r)
    {
        bool push = r.req.op == OP_STORE;
        unsigned left[CORES];
        for (unsigned i = 0; i < CORES; i++) {
            long drained = (long)sbq_[i].size() + (push && i == r.req.cpu) - (long)r.sb_count[i];
            if (drained < 0 || drained > (long)sbq_[i].size()) {
                problem = "store-buffer occupancy the RTL cannot follow";
                return;
            }
            left[i] = (unsigned)drained;
        }
        for (;;) {
            int first = -1;
            for (unsigned i = 0; i < CORES; i++)
                if (left[i] && (first < 0 || sbq_[i].front().retired < sbq_[first].front().retired))
                    first = (int)i;
            if (first < 0)
                break;
            entry e = sbq_[first].front();
            sbq_[first].pop_front();
            left[first]--;
            cmd.write(3);
            core.write((uint32_t)first);
            settle();
            if (drain_addr.read() != e.addr || drain_data.read() != e.data)
                problem = "the RTL's store buffer drained out of order";
            edge();
            mem_[e.addr] = e.data;
        }
        if (r.req.op == OP_LOAD) {
            cmd.write(1);
            core.write(r.req.cpu);
            addr.write(r.req.addr);
            settle();
            uint64_t v = forwarded.read() ? fwd_data.read() : mem_[r.req.addr];
            edge();
            if (v != r.res.value) {
                char b[160];
                snprintf(b, sizeof b, "the load read 0x%" PRIx64 " in the C model, 0x%" PRIx64
                         " in the RTL", r.res.value, v);
                problem = b;
            }
        } else if (push) {
            cmd.write(2);
            core.write(r.req.cpu);
            addr.write(r.req.addr);
            data.write(r.req.value);
            settle();
            if (sb_full.read())
                problem = "the RTL's store buffer is full";
            edge();
            sbq_[r.req.cpu].push_back({r.req.addr, r.req.value, r.res.issued});
        }
        for (unsigned i = 0; i < CORES && problem.empty(); i++)
            if (((sb_counts.read() >> (8 * i)) & 255) != r.sb_count[i])
                problem = "store-buffer occupancy differs";
        for (size_t l = 0; l < pool_.size() && problem.empty(); l++) {
            peek_addr.write(pool_[l]);
            wait(1, SC_NS);
            for (unsigned i = 0; i < CORES; i++)
                if (((peek_states.read() >> (4 * i)) & 15) != r.states[l * CORES + i]) {
                    char b[160];
                    snprintf(b, sizeof b, "core %u's state of line 0x%" PRIx64 ": C model %u, "
                             "RTL %u", i, pool_[l], r.states[l * CORES + i],
                             (peek_states.read() >> (4 * i)) & 15);
                    problem = b;
                    break;
                }
        }
        compared++;
    }
    const std::vector<uint64_t> &pool_;
    std::vector<std::deque<entry>> sbq_;
    std::unordered_map<uint64_t, uint64_t> mem_;
};

}  // namespace

int sc_main(int, char *[])
{
    ref_sys_config_t rc = {CORES, 4, 2, LINE, false, true, SB_ENTRIES};
    machine_config_t mc;
    ref_sys_machine_config(&rc, &mc);
    std::vector<uint64_t> pool;
    rng_t rng;
    rng_seed(&rng, 7);
    for (unsigned i = 0; i < 16; i++)
        pool.push_back((uint64_t)rng_below(&rng, 128) * LINE + 0x40000);

    cohsim_memory mem("mem", mc, sc_time(1, SC_NS));
    rtl_driver driver("driver", pool);
    mem.on_done = [&](const mem_req_t &req, const req_result_t &res) {
        record r;
        r.req = req;
        r.res = res;
        const machine_t *m = mem.machine();
        for (unsigned i = 0; i < CORES; i++)
            r.sb_count[i] = machine_sb_count(m, i);
        for (uint64_t line : pool)
            for (unsigned i = 0; i < CORES; i++) {
                const cache_t *c = machine_l1d(m, i);
                int32_t slot = cache_find(c, line);
                r.states.push_back(slot < 0 ? (uint8_t)LINE_I : cache_state(c, slot));
            }
        driver.records.push_back(r);
        driver.more.notify(SC_ZERO_TIME);
    };
    traffic t0("core0", mem, 0, pool), t1("core1", mem, 1, pool);
    t0.socket.bind(*mem.socket[0]);
    t1.socket.bind(*mem.socket[1]);
    sc_start();
    driver.producer_done = true;
    driver.more.notify(SC_ZERO_TIME);
    sc_start();
    if (!mem.error().empty()) {
        printf("systemc-rtl: model error: %s\n", mem.error().c_str());
        return 1;
    }
    if (!driver.problem.empty()) {
        printf("systemc-rtl: DIFFERENCE after %" PRIu64 " transactions: %s\n", driver.compared,
               driver.problem.c_str());
        return 1;
    }
    if (driver.compared != 2 * PER_CORE || !driver.records.empty()) {
        printf("systemc-rtl: %" PRIu64 " of %u transactions compared\n", driver.compared,
               2 * PER_CORE);
        return 1;
    }
    printf("systemc-rtl: %" PRIu64 " transactions compared\n", driver.compared);
    return 0;
}
