// cohsim_l1.v: a cache with a write policy, one access per cycle: the rules compat_dinero.c
// applies to one level (write-back + write-allocate, or write-through + no-allocate).
//
// A read, or a write that hits or allocates, makes the line present: a hit renews it, a miss
// fills the victim way (LINE_S), writing the victim back when it is dirty. Under write-back a
// write leaves the line S|dirty; under write-through nothing is ever dirty and a write miss
// leaves the cache untouched. The response (hit, way, victim, write-back) is combinational in
// the request and describes what the coming rising edge performs.
module cohsim_l1 #(
    parameter int SET_BITS = 2,
    parameter int WAYS = 2,
    parameter int LINE_BITS = 4
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        fifo,         // 0: LRU, 1: FIFO
    input  logic        write_back,   // 1: write-back + write-allocate; 0: write-through + no-allocate
    input  logic        valid,        // an access this cycle
    input  logic        write,
    input  logic [63:0] addr,
    output logic        hit,
    output logic [7:0]  way,          // the way hit or filled
    output logic        victim_valid, // the fill replaced a valid line ...
    output logic [63:0] victim_addr,  // ... this one ...
    output logic        writeback,    // ... and wrote it back (it was dirty)
    input  logic [15:0] dbg_slot,
    output logic [63:0] dbg_addr,
    output logic [3:0]  dbg_state,
    output logic [7:0]  dbg_rank
);
    localparam logic [3:0] LINE_S = 4'd1, LINE_DIRTY = 4'd8;

    logic [7:0] hit_way, victim_way;
    logic [3:0] hit_state, victim_state, peek_state;
    wire allocate = !write || write_back;
    wire fill = valid && !hit && allocate;
    wire dirty = write && write_back;

    cohsim_cache #(.SET_BITS(SET_BITS), .WAYS(WAYS), .LINE_BITS(LINE_BITS)) array (
        .clk, .rst, .fifo, .addr,
        .touch(valid && hit), .fill, .set_state(valid && hit && dirty),
        .new_state(dirty ? LINE_S | LINE_DIRTY : LINE_S),
        .hit, .hit_way, .hit_state, .victim_way, .victim_state, .victim_addr,
        .peek_addr(64'd0), .peek_state,
        .dbg_slot, .dbg_addr, .dbg_state, .dbg_rank);

    assign way = hit ? hit_way : victim_way;
    assign victim_valid = fill && victim_state != 4'd0;
    assign writeback = victim_valid && victim_state[3];

    wire unused_ok = &{1'b0, hit_state, peek_state, 1'b0};
endmodule
