// cohsim_coh.v: CORES cores on one snooping bus, each with a TSO store buffer and an L1D
// (cohsim_cache), kept coherent by MESI: the hardware twin of the machine's L1D-only
// configuration (model/hierarchy.c with model/coherence.c's tables).
//
// One command per cycle, for core `core`; the response is combinational and describes what the
// coming rising edge performs:
//   LOAD   a load: forwarded from the core's store buffer when it holds the address (youngest
//          entry, no cache access), else an L1D read (BusRd on a miss).
//   STORE  a store into the core's store buffer (refused when full: the harness drains first).
//   DRAIN  the core's oldest buffered store performs: an L1D write.
//   WRITE  a store that performs at once (a machine without store buffers).
// A read miss takes the line E, or S when another cache holds it; a write needs M: BusUpgr from S,
// BusRdX from I. Snoopers follow the MESI table: on BusRd, M supplies the line, writes it back and
// becomes S, E becomes S; on BusRdX and BusUpgr every copy goes to I (M supplying it for BusRdX).
// write_back = 0 makes every L1D write-through + no-allocate: a write hit ends E (memory is
// current), a write miss takes the line from everyone (BusRdX) and keeps no copy.
// A fill evicts the set's victim; a victim in M is written back (one bus transaction).
// Invariant (the machine's): a line is E or M in at most one cache, and then valid in no other.
module cohsim_coh #(
    parameter int CORES = 2,
    parameter int SET_BITS = 2,
    parameter int WAYS = 2,
    parameter int LINE_BITS = 4,
    parameter int SB_ENTRIES = 4
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        fifo,
    input  logic        write_back,
    input  logic [2:0]  cmd,          // 0 none, 1 LOAD, 2 STORE, 3 DRAIN, 4 WRITE
    input  logic [1:0]  core,
    input  logic [63:0] addr,         // LOAD, STORE, WRITE
    input  logic [63:0] data,         // STORE
    output logic        forwarded,    // LOAD: from the store buffer ...
    output logic [63:0] fwd_data,     // ... this value
    output logic        hit,          // the L1D access hit
    output logic [1:0]  bus,          // 0 none, 1 BusRd, 2 BusRdX, 3 BusUpgr
    output logic [2:0]  invalidations,
    output logic [2:0]  interventions,
    output logic        snoop_writeback,
    output logic        victim_valid,
    output logic [63:0] victim_addr,
    output logic        victim_writeback,
    output logic [63:0] drain_addr,   // DRAIN: the store performed
    output logic [63:0] drain_data,
    output logic [31:0] sb_counts,    // 8 bits per core
    output logic        sb_full,      // the commanded core's buffer is full
    input  logic [63:0] peek_addr,
    output logic [15:0] peek_states,  // 4 bits per core: its state of peek_addr's line
    input  logic [15:0] dbg_slot,
    output logic [63:0] dbg_addr,     // the commanded core's L1D slot dbg_slot
    output logic [3:0]  dbg_state
);
    localparam logic [2:0] CMD_LOAD = 3'd1, CMD_STORE = 3'd2, CMD_DRAIN = 3'd3, CMD_WRITE = 3'd4;
    localparam logic [3:0] I = 4'd0, S = 4'd1, E = 4'd2, M = 4'd4, DIRTY = 4'd8;
    localparam logic [1:0] BUS_NONE = 2'd0, BUS_RD = 2'd1, BUS_RDX = 2'd2, BUS_UPGR = 2'd3;

    // Per core.
    logic [63:0] sb_fwd_data [4];
    logic [63:0] sb_head_addr [4], sb_head_data [4];
    logic [7:0]  sb_count [4];
    logic        sb_fwd_hit [4], sb_is_full [4];
    logic        c_hit [4];
    logic [7:0]  c_hit_way [4], c_victim_way [4], c_dbg_rank [4];
    logic [3:0]  c_hit_state [4], c_victim_state [4], c_peek_state [4];
    logic [3:0]  c_dbg_state [4];
    logic [63:0] c_victim_addr [4], c_dbg_addr [4];
    logic        c_touch [4], c_fill [4], c_set [4];
    logic [3:0]  c_new_state [4];

    wire me_load = cmd == CMD_LOAD;
    wire [63:0] bus_addr = cmd == CMD_DRAIN ? sb_head_addr[core] : addr;
    wire is_write = cmd == CMD_DRAIN || cmd == CMD_WRITE;
    wire is_read = me_load && !sb_fwd_hit[core];
    wire access = is_read || is_write;

    // Arrays are indexed by the 2-bit core number; cores from CORES up hold nothing.
    genvar g;
    for (g = CORES; g < 4; g++) begin : absent_g
        assign sb_fwd_data[g] = 64'd0;
        assign sb_head_addr[g] = 64'd0;
        assign sb_head_data[g] = 64'd0;
        assign sb_count[g] = 8'd0;
        assign sb_fwd_hit[g] = 1'b0;
        assign sb_is_full[g] = 1'b1;
        assign c_hit[g] = 1'b0;
        assign c_hit_way[g] = 8'd0;
        assign c_victim_way[g] = 8'd0;
        assign c_dbg_rank[g] = 8'd0;
        assign c_hit_state[g] = 4'd0;
        assign c_victim_state[g] = 4'd0;
        assign c_peek_state[g] = 4'd0;
        assign c_dbg_state[g] = 4'd0;
        assign c_victim_addr[g] = 64'd0;
        assign c_dbg_addr[g] = 64'd0;
    end
    for (g = 0; g < CORES; g++) begin : core_g
        wire mine = 2'(g) == core;
        cohsim_sb #(.ENTRIES(SB_ENTRIES)) sb (
            .clk, .rst,
            .push(mine && cmd == CMD_STORE), .push_addr(addr), .push_data(data),
            .pop(mine && cmd == CMD_DRAIN),
            .fwd_addr(addr), .fwd_hit(sb_fwd_hit[g]), .fwd_data(sb_fwd_data[g]),
            .head_addr(sb_head_addr[g]), .head_data(sb_head_data[g]),
            .count(sb_count[g]), .full(sb_is_full[g]));
        cohsim_cache #(.SET_BITS(SET_BITS), .WAYS(WAYS), .LINE_BITS(LINE_BITS)) l1d (
            .clk, .rst, .fifo, .addr(bus_addr),
            .touch(c_touch[g]), .fill(c_fill[g]), .set_state(c_set[g]), .new_state(c_new_state[g]),
            .hit(c_hit[g]), .hit_way(c_hit_way[g]), .hit_state(c_hit_state[g]),
            .victim_way(c_victim_way[g]), .victim_state(c_victim_state[g]),
            .victim_addr(c_victim_addr[g]),
            .peek_addr, .peek_state(c_peek_state[g]),
            .dbg_slot, .dbg_addr(c_dbg_addr[g]), .dbg_state(c_dbg_state[g]),
            .dbg_rank(c_dbg_rank[g]));
    end

`ifdef COHSIM_RTL_FAULT
    // The fault-seeded copy (tests only): +fault-shared-as-e turns one rule wrong.
    logic fault_e;
    initial fault_e = $test$plusargs("fault-shared-as-e") != 0;
`else
    localparam logic fault_e = 1'b0;
`endif
`ifdef COHSIM_RTL_FAULT
    // The fault-seeded copy (tests only): +fault-upgr-keeps turns one rule wrong.
    logic fault_upgr;
    initial fault_upgr = $test$plusargs("fault-upgr-keeps") != 0;
`else
    localparam logic fault_upgr = 1'b0;
`endif
    // The requester: which transaction it needs and what it ends holding.
    logic [3:0] my_state;
    logic others_hold;
    always_comb begin
        my_state = c_hit[core] ? c_hit_state[core] & 4'd7 : I;
        others_hold = 1'b0;
        for (int c = 0; c < CORES; c++)
            if (2'(c) != core && c_hit[c])
                others_hold = 1'b1;
        bus = BUS_NONE;
        if (is_read && my_state == I)
            bus = BUS_RD;
        else if (is_write && my_state == I)
            bus = BUS_RDX;
        else if (is_write && my_state == S)
            bus = BUS_UPGR;
    end

    // Every cache's command for the edge: the requester's access, the snoopers' replies.
    always_comb begin
        invalidations = 3'd0;
        interventions = 3'd0;
        snoop_writeback = 1'b0;
        for (int c = 0; c < 4; c++) begin
            c_touch[c] = 1'b0;
            c_fill[c] = 1'b0;
            c_set[c] = 1'b0;
            c_new_state[c] = I;
            if (2'(c) == core) begin
                if (access && c_hit[c]) begin
                    c_touch[c] = 1'b1;
                    c_set[c] = is_write;
                    c_new_state[c] = write_back ? M | DIRTY : E;
                end else if (is_read) begin
                    c_fill[c] = 1'b1;
                    c_new_state[c] = others_hold && !fault_e ? S : E;
                end else if (is_write && write_back) begin
                    c_fill[c] = 1'b1;
                    c_new_state[c] = M | DIRTY;
                end
            end else if (bus != BUS_NONE && c_hit[c]) begin
                c_set[c] = 1'b1;
                if (bus == BUS_RD) begin
                    c_new_state[c] = S;
                    if ((c_hit_state[c] & 4'd7) == M) begin
                        interventions = interventions + 3'd1;
                        snoop_writeback = 1'b1;
                    end
                end else if (bus == BUS_UPGR && fault_upgr) begin
                    c_new_state[c] = c_hit_state[c];
                end else begin
                    c_new_state[c] = I;
                    invalidations = invalidations + 3'd1;
                    if (bus == BUS_RDX && (c_hit_state[c] & 4'd7) == M)
                        interventions = interventions + 3'd1;
                end
            end
        end
    end

    assign forwarded = me_load && sb_fwd_hit[core];
    assign fwd_data = sb_fwd_data[core];
    assign hit = access && c_hit[core];
    assign victim_valid = c_fill[core] && c_victim_state[core] != I;
    assign victim_addr = c_victim_addr[core];
    assign victim_writeback = victim_valid && (c_victim_state[core] & 4'd7) == M;
    assign drain_addr = sb_head_addr[core];
    assign drain_data = sb_head_data[core];
    assign sb_full = sb_is_full[core];
    assign dbg_addr = c_dbg_addr[core];
    assign dbg_state = c_dbg_state[core];
    always_comb begin
        sb_counts = 32'd0;
        peek_states = 16'd0;
        for (int c = 0; c < CORES; c++) begin
            sb_counts[8 * c +: 8] = sb_count[c];
            peek_states[4 * c +: 4] = c_peek_state[c];
        end
    end

    wire unused_ok = &{1'b0, c_hit_way[0], c_victim_way[0], c_dbg_rank[0], 1'b0};
endmodule
