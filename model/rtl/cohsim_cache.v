// cohsim_cache.v: one set-associative cache array (tags, a 4-bit state per line, LRU or FIFO
// replacement), the hardware twin of model/cache.c.
//
// State encoding is cache.h's: bits 2:0 the coherence state (0 I, 1 S, 2 E, 4 M), bit 3 dirty; a
// line is valid exactly when bits 2:0 are not 0. tag_q holds the line number (addr >> LINE_BITS),
// so a line of address a lives only in set (a >> LINE_BITS) mod SETS. Replacement: rank_q of the
// ways of a set is always a permutation of 0..WAYS-1 (0 the newest). A fill moves its way to rank
// 0 (both policies), a hit too under LRU; the ways ranked newer than it age by one. The victim is
// the lowest invalid way, else the way ranked WAYS-1: the least recently used (LRU: cache.c's
// smallest stamp) or the first filled (FIFO: model/repl/fifo.c), exactly as the C model chooses.
// Invalidating a line keeps its rank: the order among the other lines is unchanged, and an
// invalid way is chosen before any rank is looked at.
module cohsim_cache #(
    parameter int SET_BITS = 2,   // sets = 2^SET_BITS (at least 1 bit)
    parameter int WAYS = 2,       // ways per set
    parameter int LINE_BITS = 4   // line = 2^LINE_BITS bytes
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        fifo,        // 0: LRU, 1: FIFO
    // The line looked up; the outputs below are combinational in it.
    input  logic [63:0] addr,
    // Commands, performed at the rising edge.
    input  logic        touch,       // a hit on addr: LRU makes it the newest
    input  logic        fill,        // install addr's line in victim_way with new_state
    input  logic        set_state,   // give addr's line (present) new_state
    input  logic [3:0]  new_state,
    output logic        hit,
    output logic [7:0]  hit_way,
    output logic [3:0]  hit_state,
    output logic [7:0]  victim_way,
    output logic [3:0]  victim_state,
    output logic [63:0] victim_addr,
    // A second lookup that changes nothing (the harness reads every core's state of a line).
    input  logic [63:0] peek_addr,
    output logic [3:0]  peek_state,
    // One slot read out (slot = set * WAYS + way) for the dump at a difference.
    input  logic [15:0] dbg_slot,
    output logic [63:0] dbg_addr,
    output logic [3:0]  dbg_state,
    output logic [7:0]  dbg_rank
);
    localparam int SETS = 1 << SET_BITS;
    localparam int SLOTS = SETS * WAYS;
    localparam int TAG_W = 64 - LINE_BITS;
    localparam int SLOT_W = $clog2(SLOTS) > 0 ? $clog2(SLOTS) : 1;
    localparam int RANK_W = $clog2(WAYS) > 0 ? $clog2(WAYS) : 1;

    // Ranks at reset: way w of every set has rank w.
    function automatic logic [SLOTS*RANK_W-1:0] initial_ranks();
        logic [SLOTS*RANK_W-1:0] r = '0;
        for (int s = 0; s < SLOTS; s++)
            r[s*RANK_W +: RANK_W] = RANK_W'(s % WAYS);
        return r;
    endfunction

    // States and ranks are packed so that reset is one assignment; a tag means something only
    // while its state is valid, so tags need no reset.
    logic [TAG_W-1:0]         tag_q [SLOTS];
    logic [SLOTS*4-1:0]       state_q;
    logic [SLOTS*RANK_W-1:0]  rank_q;

    function automatic logic [3:0] state_at(input logic [SLOT_W-1:0] slot);
        return state_q[int'(slot) * 4 +: 4];
    endfunction
    function automatic logic [RANK_W-1:0] rank_at(input logic [SLOT_W-1:0] slot);
        return rank_q[int'(slot) * RANK_W +: RANK_W];
    endfunction
    function automatic logic line_valid(input logic [3:0] st);
        return st != 4'd0 && st != 4'd8;  // coherence bits not I (a dirty I never occurs)
    endfunction

    wire [TAG_W-1:0] lineno = addr[63:LINE_BITS];
    wire [SET_BITS-1:0] set_idx = lineno[SET_BITS-1:0];
    wire [SLOT_W-1:0] base = SLOT_W'(set_idx) * SLOT_W'(WAYS);

    // The way addr's line sits in, and the way a fill would use.
    always_comb begin
        logic found_invalid;
        logic [7:0] oldest;
        hit = 1'b0;
        hit_way = 8'd0;
        found_invalid = 1'b0;
        victim_way = 8'd0;
        oldest = 8'd0;
        for (int w = 0; w < WAYS; w++) begin
            if (!hit && line_valid(state_at(base + SLOT_W'(w))) && tag_q[base + SLOT_W'(w)] == lineno) begin
                hit = 1'b1;
                hit_way = 8'(w);
            end
            if (!found_invalid && !line_valid(state_at(base + SLOT_W'(w)))) begin
                found_invalid = 1'b1;
                victim_way = 8'(w);
            end
            if (rank_at(base + SLOT_W'(w)) == RANK_W'(WAYS - 1))
                oldest = 8'(w);
        end
        if (!found_invalid)
            victim_way = oldest;
    end
    assign hit_state = hit ? state_at(base + SLOT_W'(hit_way)) : 4'd0;
    assign victim_state = state_at(base + SLOT_W'(victim_way));
    assign victim_addr = {tag_q[base + SLOT_W'(victim_way)], LINE_BITS'(0)};

    wire [TAG_W-1:0] peek_lineno = peek_addr[63:LINE_BITS];
    wire [SLOT_W-1:0] peek_base = SLOT_W'(peek_lineno[SET_BITS-1:0]) * SLOT_W'(WAYS);
    always_comb begin
        peek_state = 4'd0;
        for (int w = 0; w < WAYS; w++)
            if (line_valid(state_at(peek_base + SLOT_W'(w))) && tag_q[peek_base + SLOT_W'(w)] == peek_lineno)
                peek_state = state_at(peek_base + SLOT_W'(w));
    end

    wire [SLOT_W-1:0] dbg = SLOT_W'(dbg_slot);
    assign dbg_addr = {tag_q[dbg], LINE_BITS'(0)};
    assign dbg_state = state_at(dbg);
    assign dbg_rank = 8'(rank_at(dbg));

`ifdef COHSIM_RTL_FAULT
    // The fault-seeded copy (tests only): +fault-fifo-renew turns one rule wrong.
    logic fault_renew;
    initial fault_renew = $test$plusargs("fault-fifo-renew") != 0;
`else
    localparam logic fault_renew = 1'b0;
`endif
    // The way a command works on, and whether it makes that way the newest.
    wire [SLOT_W-1:0] way = fill ? SLOT_W'(victim_way) : SLOT_W'(hit_way);
    wire renew = fill || (touch && (!fifo || fault_renew));
    wire [SLOT_W-1:0] target = base + way;
    function automatic int in_set(input int w);  // slot number of way w of addr's set
        return int'(base) + w;
    endfunction
    // Way w's rank after way `way` is renewed: one older when it was newer than that way.
    function automatic logic [RANK_W-1:0] aged(input int w);
        logic [RANK_W-1:0] r = rank_at(SLOT_W'(in_set(w)));
        return r + RANK_W'(r < way_rank);
    endfunction
    wire [RANK_W-1:0] way_rank = rank_at(target);

    always_ff @(posedge clk) begin
        if (rst) begin
            state_q <= '0;
            rank_q <= initial_ranks();
        end else begin
            if (fill) begin
                tag_q[target] <= lineno;
                state_q[int'(target) * 4 +: 4] <= new_state;
            end else if (set_state && hit) begin
                state_q[int'(target) * 4 +: 4] <= new_state;
            end
            if (renew)
                for (int w = 0; w < WAYS; w++)
                    rank_q[in_set(w) * RANK_W +: RANK_W] <= SLOT_W'(w) == way ? '0 : aged(w);
        end
    end

    // Bits below the line are not part of any line's identity.
    wire unused_ok = &{1'b0, addr[LINE_BITS-1:0], peek_addr[LINE_BITS-1:0], dbg_slot, 1'b0};
endmodule
