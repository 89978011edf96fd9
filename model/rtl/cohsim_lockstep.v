// cohsim_lockstep.v: the RTL the lockstep harness drives: several caches and coherent systems of
// fixed geometry side by side, one selected per request (Verilator builds parameters in, so one
// model holds every geometry the tests use).
//
// sel 0..3: cohsim_l1   0: 64 sets x 8 ways x 64 B (sort.din's 32 KB cache), 1: 4 x 2 x 16 B,
//                       2: 16 x 4 x 32 B, 3: 8 x 1 x 16 B (direct-mapped)
// sel 4:    cohsim_coh  2 cores, L1D 4 x 2 x 16 B, 4-entry store buffers
// sel 5:    cohsim_coh  4 cores, L1D 4 x 2 x 32 B, 2-entry store buffers
// The harness's geometry table (model/rtl/harness.cpp) lists the same numbers.
module cohsim_lockstep (
    input  logic        clk,
    input  logic        rst,
    input  logic [2:0]  sel,
    input  logic        fifo,
    input  logic        write_back,
    // caches (sel 0..3)
    input  logic        valid,
    input  logic        write,
    // coherent systems (sel 4, 5)
    input  logic [2:0]  cmd,
    input  logic [1:0]  core,
    input  logic [63:0] addr,
    input  logic [63:0] data,
    input  logic [63:0] peek_addr,
    input  logic [15:0] dbg_slot,
    output logic        hit,
    output logic [7:0]  way,
    output logic        victim_valid,
    output logic [63:0] victim_addr,
    output logic        writeback,
    output logic        forwarded,
    output logic [63:0] fwd_data,
    output logic [1:0]  bus,
    output logic [2:0]  invalidations,
    output logic [2:0]  interventions,
    output logic        snoop_writeback,
    output logic [63:0] drain_addr,
    output logic [63:0] drain_data,
    output logic [31:0] sb_counts,
    output logic        sb_full,
    output logic [15:0] peek_states,
    output logic [63:0] dbg_addr,
    output logic [3:0]  dbg_state,
    output logic [7:0]  dbg_rank
);
    logic        l_hit [4], l_vv [4], l_wb [4];
    logic [7:0]  l_way [4], l_rank [4];
    logic [63:0] l_va [4], l_dbga [4];
    logic [3:0]  l_dbgs [4];

    cohsim_l1 #(.SET_BITS(6), .WAYS(8), .LINE_BITS(6)) l1_0 (
        .clk, .rst, .fifo, .write_back, .valid(valid && sel == 3'd0), .write, .addr,
        .hit(l_hit[0]), .way(l_way[0]), .victim_valid(l_vv[0]), .victim_addr(l_va[0]),
        .writeback(l_wb[0]), .dbg_slot, .dbg_addr(l_dbga[0]), .dbg_state(l_dbgs[0]),
        .dbg_rank(l_rank[0]));
    cohsim_l1 #(.SET_BITS(2), .WAYS(2), .LINE_BITS(4)) l1_1 (
        .clk, .rst, .fifo, .write_back, .valid(valid && sel == 3'd1), .write, .addr,
        .hit(l_hit[1]), .way(l_way[1]), .victim_valid(l_vv[1]), .victim_addr(l_va[1]),
        .writeback(l_wb[1]), .dbg_slot, .dbg_addr(l_dbga[1]), .dbg_state(l_dbgs[1]),
        .dbg_rank(l_rank[1]));
    cohsim_l1 #(.SET_BITS(4), .WAYS(4), .LINE_BITS(5)) l1_2 (
        .clk, .rst, .fifo, .write_back, .valid(valid && sel == 3'd2), .write, .addr,
        .hit(l_hit[2]), .way(l_way[2]), .victim_valid(l_vv[2]), .victim_addr(l_va[2]),
        .writeback(l_wb[2]), .dbg_slot, .dbg_addr(l_dbga[2]), .dbg_state(l_dbgs[2]),
        .dbg_rank(l_rank[2]));
    cohsim_l1 #(.SET_BITS(3), .WAYS(1), .LINE_BITS(4)) l1_3 (
        .clk, .rst, .fifo, .write_back, .valid(valid && sel == 3'd3), .write, .addr,
        .hit(l_hit[3]), .way(l_way[3]), .victim_valid(l_vv[3]), .victim_addr(l_va[3]),
        .writeback(l_wb[3]), .dbg_slot, .dbg_addr(l_dbga[3]), .dbg_state(l_dbgs[3]),
        .dbg_rank(l_rank[3]));

    logic        s_fwd [2], s_hit [2], s_swb [2], s_vv [2], s_vwb [2], s_full [2];
    logic [63:0] s_fwdd [2], s_va [2], s_da [2], s_dd [2], s_dbga [2];
    logic [1:0]  s_bus [2];
    logic [2:0]  s_inv [2], s_itv [2];
    logic [31:0] s_cnt [2];
    logic [15:0] s_peek [2];
    logic [3:0]  s_dbgs [2];

    cohsim_coh #(.CORES(2), .SET_BITS(2), .WAYS(2), .LINE_BITS(4), .SB_ENTRIES(4)) coh_4 (
        .clk, .rst, .fifo, .write_back, .cmd(sel == 3'd4 ? cmd : 3'd0), .core, .addr, .data,
        .forwarded(s_fwd[0]), .fwd_data(s_fwdd[0]), .hit(s_hit[0]), .bus(s_bus[0]),
        .invalidations(s_inv[0]), .interventions(s_itv[0]), .snoop_writeback(s_swb[0]),
        .victim_valid(s_vv[0]), .victim_addr(s_va[0]), .victim_writeback(s_vwb[0]),
        .drain_addr(s_da[0]), .drain_data(s_dd[0]), .sb_counts(s_cnt[0]), .sb_full(s_full[0]),
        .peek_addr, .peek_states(s_peek[0]), .dbg_slot, .dbg_addr(s_dbga[0]),
        .dbg_state(s_dbgs[0]));
    cohsim_coh #(.CORES(4), .SET_BITS(2), .WAYS(2), .LINE_BITS(5), .SB_ENTRIES(2)) coh_5 (
        .clk, .rst, .fifo, .write_back, .cmd(sel == 3'd5 ? cmd : 3'd0), .core, .addr, .data,
        .forwarded(s_fwd[1]), .fwd_data(s_fwdd[1]), .hit(s_hit[1]), .bus(s_bus[1]),
        .invalidations(s_inv[1]), .interventions(s_itv[1]), .snoop_writeback(s_swb[1]),
        .victim_valid(s_vv[1]), .victim_addr(s_va[1]), .victim_writeback(s_vwb[1]),
        .drain_addr(s_da[1]), .drain_data(s_dd[1]), .sb_counts(s_cnt[1]), .sb_full(s_full[1]),
        .peek_addr, .peek_states(s_peek[1]), .dbg_slot, .dbg_addr(s_dbga[1]),
        .dbg_state(s_dbgs[1]));

    wire is_l1 = sel < 3'd4;
    wire [1:0] li = sel[1:0];
    wire si = sel == 3'd5;
    assign hit = is_l1 ? l_hit[li] : s_hit[si];
    assign way = is_l1 ? l_way[li] : 8'd0;
    assign victim_valid = is_l1 ? l_vv[li] : s_vv[si];
    assign victim_addr = is_l1 ? l_va[li] : s_va[si];
    assign writeback = is_l1 ? l_wb[li] : s_vwb[si];
    assign forwarded = !is_l1 && s_fwd[si];
    assign fwd_data = s_fwdd[si];
    assign bus = is_l1 ? 2'd0 : s_bus[si];
    assign invalidations = is_l1 ? 3'd0 : s_inv[si];
    assign interventions = is_l1 ? 3'd0 : s_itv[si];
    assign snoop_writeback = !is_l1 && s_swb[si];
    assign drain_addr = s_da[si];
    assign drain_data = s_dd[si];
    assign sb_counts = is_l1 ? 32'd0 : s_cnt[si];
    assign sb_full = !is_l1 && s_full[si];
    assign peek_states = is_l1 ? 16'd0 : s_peek[si];
    assign dbg_addr = is_l1 ? l_dbga[li] : s_dbga[si];
    assign dbg_state = is_l1 ? l_dbgs[li] : s_dbgs[si];
    assign dbg_rank = is_l1 ? l_rank[li] : 8'd0;
endmodule
