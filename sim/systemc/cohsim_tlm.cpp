// cohsim_tlm.cpp: the TLM-2.0 binding of a cohsim machine (what it does and how time maps, in
// cohsim_tlm.h). Invariants: each core has at most one request inside the model (its initiator
// is blocked in b_transport until the answer); requests enter the model in SystemC time order.
#include "cohsim_tlm.h"

#include <cstring>

using namespace sc_core;

cohsim_memory::cohsim_memory(sc_module_name name, const machine_config_t &cfg, sc_time cycle)
    : sc_module(name), cycle_(cycle)
{
    char err[256];
    m_ = machine_create(&cfg, err, sizeof err);
    if (!m_)
        SC_REPORT_FATAL("cohsim", err);
    prim_ = prim_attach(m_, err, sizeof err);
    if (!prim_)
        SC_REPORT_FATAL("cohsim", err);
    inflight_.assign(cfg.cores, nullptr);
    for (unsigned i = 0; i < cfg.cores; i++) {
        std::string n = "core" + std::to_string(i);
        socket.emplace_back(new socket_t(n.c_str()));
        socket.back()->register_b_transport(this, &cohsim_memory::b_transport, (int)i);
        socket.back()->register_get_direct_mem_ptr(this, &cohsim_memory::get_direct_mem_ptr, (int)i);
    }
    SC_HAS_PROCESS(cohsim_memory);
    SC_THREAD(model_thread);
    set_stack_size(4 << 20);
}

cohsim_memory::~cohsim_memory()
{
    prim_destroy(prim_);
    machine_destroy(m_);
}

uint64_t cohsim_memory::now_cycles() const
{
    return (uint64_t)(sc_time_stamp() / cycle_);
}

void cohsim_memory::finish(unsigned core)
{
    (void)core;
    finished_++;
    request_.notify(SC_ZERO_TIME);
}

bool cohsim_memory::get_direct_mem_ptr(int, tlm::tlm_generic_payload &, tlm::tlm_dmi &)
{
    return false;
}

void cohsim_memory::b_transport(int core, tlm::tlm_generic_payload &tr, sc_time &delay)
{
    tr.set_dmi_allowed(false);
    if (delay != SC_ZERO_TIME) {
        wait(delay);
        delay = SC_ZERO_TIME;
    }
    pending p;
    p.req = mem_req_t{};
    p.req.cpu = (uint16_t)core;
    cohsim_op_extension *ext = nullptr;
    tr.get_extension(ext);
    unsigned len = tr.get_data_length();
    if (len == 0) {
        if (!ext || (ext->op != OP_FENCE && op_class(ext->op) != OPC_PRIMITIVE)) {
            tr.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        p.req.op = (uint8_t)ext->op;
        p.req.addr = ext->addr;
        std::memcpy(p.req.arg, ext->arg, sizeof p.req.arg);
    } else {
        if (len > 8 || tr.get_streaming_width() < len) {
            tr.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
            return;
        }
        if (tr.get_byte_enable_ptr()) {
            tr.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
            return;
        }
        if (tr.is_write()) {
            uint64_t v = 0;
            for (unsigned i = len; i-- > 0;)
                v = v << 8 | tr.get_data_ptr()[i];
            p.req.op = OP_STORE;
            p.req.value = v;
            p.req.flags = REQ_HAS_VALUE;
        } else if (tr.is_read()) {
            p.req.op = OP_LOAD;
        } else {
            tr.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        p.req.addr = tr.get_address();
        p.req.size = len;
    }
    if (ended_ || !error_.empty()) {
        tr.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    p.at = now_cycles();
    size_t calls = prim_call_count(prim_);
    queue_.push_back(&p);
    request_.notify(SC_ZERO_TIME);
    while (!p.answered)
        wait(p.answer);
    if (p.res.status != 0) {
        tr.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    uint64_t now = now_cycles();
    delay = p.res.done > now ? (double)(p.res.done - now) * cycle_ : SC_ZERO_TIME;
    if (p.req.op == OP_LOAD)
        for (unsigned i = 0; i < len; i++)
            tr.get_data_ptr()[i] = (unsigned char)(p.res.value >> (8 * i));
    if (ext) {
        ext->cycles = p.res.done - p.res.issued;
        ext->status.clear();
        if (prim_call_count(prim_) > calls)
            ext->status = prim_call_status(prim_call_at(prim_, prim_call_count(prim_) - 1));
    }
    tr.set_response_status(tlm::TLM_OK_RESPONSE);
}

int cohsim_memory::next_cb(void *opaque, mem_req_t *out)
{
    cohsim_memory *self = static_cast<cohsim_memory *>(opaque);
    while (self->queue_.empty()) {
        if (self->finished_ == self->inflight_.size())
            return 0;
        sc_core::wait(self->request_);
    }
    pending *p = self->queue_.front();
    self->queue_.pop_front();
    machine_set_core_clock(self->m_, p->req.cpu, p->at);
    self->inflight_[p->req.cpu] = p;
    *out = p->req;
    return 1;
}

int cohsim_memory::done_cb(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    cohsim_memory *self = static_cast<cohsim_memory *>(opaque);
    pending *p = self->inflight_[req->cpu];
    self->inflight_[req->cpu] = nullptr;
    p->res = *res;
    if (self->on_done)
        self->on_done(*req, *res);
    p->answered = true;
    p->answer.notify(SC_ZERO_TIME);
    return 0;
}

void cohsim_memory::model_thread()
{
    core_source_t src = {next_cb, done_cb, this, false, false, nullptr};
    int rc = machine_run(m_, &src, 1, false);
    ended_ = true;
    if (rc != 0) {
        error_ = rc == 1 ? "stopped" : machine_error(m_);
        // Whoever waits gets an error answer.
        for (pending *p : inflight_)
            if (p) {
                p->res.status = rc < 0 ? rc : MACHINE_EUNSUPPORTED;
                p->answered = true;
                p->answer.notify(SC_ZERO_TIME);
            }
        for (pending *p : queue_) {
            p->res.status = MACHINE_EUNSUPPORTED;
            p->answered = true;
            p->answer.notify(SC_ZERO_TIME);
        }
        queue_.clear();
    }
}
