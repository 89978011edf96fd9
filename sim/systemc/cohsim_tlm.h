// cohsim_tlm.h: one cohsim machine as a SystemC TLM-2.0 memory system, through cohsim's C API.
//
// One target socket per core (simple_target_socket_tagged, the tag is the core). b_transport runs
// a read or a write of 1 to 8 bytes through the model (its store buffers, caches and coherence)
// and annotates the model's latency; DMI is refused (every access must go through the model).
// A fence or one of the five flush primitives is a zero-length transaction carrying a
// cohsim_op_extension, which comes back with the primitive's status.
//
// Time: one model cycle is `cycle` of SystemC time. b_transport first waits out the delay the
// initiator annotated, so a request enters the model at the SystemC time it happens; the model
// is told that time (machine_set_core_clock) and takes requests in the order of SystemC time, so
// the interleaving two initiators make in SystemC is the one the model sees. The model answers
// with the cycle the core may go on; the difference is the annotated delay, which the initiator
// adds to its local time (a quantum keeper) and the next b_transport waits out. Store-buffer
// drains and IPIs are events in model time: they happen before any later request is taken.
// The model runs in one SystemC thread (machine_run over one global stream, fed by b_transport);
// a request that waits for other cores' IPI acknowledgements (FlushProcessWriteBuffers,
// KeInvalidateAllCaches) completes when model time passes them, which a later request of another
// core, or every other initiator calling finish(), brings about.
#ifndef COHSIM_TLM_H
#define COHSIM_TLM_H

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

extern "C" {
#include "model/machine.h"
#include "model/primitives.h"
}

// The operation of a zero-length transaction (OP_FENCE or a primitive, with the request's
// arguments as ops.def documents them) and, on return, what it did.
struct cohsim_op_extension : tlm::tlm_extension<cohsim_op_extension> {
    op_t op = OP_FENCE;
    uint64_t addr = 0;
    uint64_t arg[4] = {0, 0, 0, 0};
    std::string status;  // a primitive's NTSTATUS name ("nonzero"/"zero" for
                         // FlushInstructionCache); empty for a fence
    uint64_t cycles = 0; // model cycles from issue to completion

    tlm::tlm_extension_base *clone() const override { return new cohsim_op_extension(*this); }
    void copy_from(const tlm::tlm_extension_base &from) override
    {
        *this = static_cast<const cohsim_op_extension &>(from);
    }
};

class cohsim_memory : public sc_core::sc_module {
  public:
    using socket_t = tlm_utils::simple_target_socket_tagged<cohsim_memory>;
    std::vector<std::unique_ptr<socket_t>> socket; // socket[i] is core i's

    // A machine of cfg (built here; a bad configuration is an sc_report error).
    cohsim_memory(sc_core::sc_module_name name, const machine_config_t &cfg, sc_core::sc_time cycle);
    ~cohsim_memory() override;
    // Core `core`'s initiator will send nothing more. After the last one, the model's stream
    // ends: store buffers drain and the statistics are final.
    void finish(unsigned core);
    const machine_t *machine() const { return m_; }
    // Optional: called inside the model, in the order the model executes requests, with each
    // request and its result (the machine is then just after it): a monitor's tap.
    std::function<void(const mem_req_t &, const req_result_t &)> on_done;
    // Empty, or why the model stopped (a machine error).
    const std::string &error() const { return error_; }

  private:
    struct pending {
        mem_req_t req;
        uint64_t at;          // the cycle it entered the model
        req_result_t res;
        bool answered = false;
        sc_core::sc_event answer;
    };
    void b_transport(int core, tlm::tlm_generic_payload &tr, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(int core, tlm::tlm_generic_payload &tr, tlm::tlm_dmi &dmi);
    void model_thread();
    static int next_cb(void *opaque, mem_req_t *out);
    static int done_cb(void *opaque, const mem_req_t *req, const req_result_t *res);
    uint64_t now_cycles() const;

    machine_t *m_ = nullptr;
    prim_t *prim_ = nullptr;
    sc_core::sc_time cycle_;
    std::deque<pending *> queue_;
    std::vector<pending *> inflight_;   // per core: its request inside the model
    unsigned finished_ = 0;
    bool ended_ = false;
    std::string error_;
    sc_core::sc_event request_;
};

#endif
