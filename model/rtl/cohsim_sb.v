// cohsim_sb.v: a TSO store buffer of ENTRIES aligned 8-byte stores: in-order drain, youngest-match
// forwarding.
//
// Representation: a ring of ENTRIES slots; head_q is the oldest entry, count_q how many are held.
// Invariants: entries leave in the order they came (pop always takes head_q); a load of an address
// the buffer holds reads the youngest entry for it. A push to a full buffer is refused (the core
// stalls); a pop and a push in one cycle are allowed.
module cohsim_sb #(
    parameter int ENTRIES = 4
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        push,
    input  logic [63:0] push_addr,
    input  logic [63:0] push_data,
    input  logic        pop,
    input  logic [63:0] fwd_addr,
    output logic        fwd_hit,
    output logic [63:0] fwd_data,
    output logic [63:0] head_addr,
    output logic [63:0] head_data,
    output logic [7:0]  count,
    output logic        full
);
    localparam int IDX_W = $clog2(ENTRIES) > 0 ? $clog2(ENTRIES) : 1;
    localparam int CNT_W = $clog2(ENTRIES + 1);

    logic [63:0] addr_q [ENTRIES];
    logic [63:0] data_q [ENTRIES];
    logic [IDX_W-1:0] head_q;
    logic [CNT_W-1:0] count_q;

    function automatic logic [IDX_W-1:0] slot(input logic [IDX_W-1:0] from, input int k);
        int i = int'(from) + k;
        return IDX_W'(i >= ENTRIES ? i - ENTRIES : i);
    endfunction

`ifdef COHSIM_RTL_FAULT
    // The fault-seeded copy (tests only): +fault-sb-oldest turns one rule wrong.
    logic fault_oldest;
    initial fault_oldest = $test$plusargs("fault-sb-oldest") != 0;
`else
    localparam logic fault_oldest = 1'b0;
`endif
    // Oldest to youngest, so the youngest match is the one left standing.
    always_comb begin
        fwd_hit = 1'b0;
        fwd_data = 64'd0;
        for (int k = 0; k < ENTRIES; k++)
            if (k < int'(count_q) && addr_q[slot(head_q, k)] == fwd_addr && !(fault_oldest && fwd_hit)) begin
                fwd_hit = 1'b1;
                fwd_data = data_q[slot(head_q, k)];
            end
    end

    assign head_addr = addr_q[head_q];
    assign head_data = data_q[head_q];
    assign count = 8'(count_q);
    assign full = int'(count_q) == ENTRIES;

    wire do_pop = pop && count_q != '0;
    wire do_push = push && (!full || do_pop);

    always_ff @(posedge clk) begin
        if (rst) begin
            head_q <= '0;
            count_q <= '0;
            for (int k = 0; k < ENTRIES; k++) begin
                addr_q[k] <= 64'd0;
                data_q[k] <= 64'd0;
            end
        end else begin
            if (do_push) begin
                addr_q[slot(head_q, int'(count_q))] <= push_addr;
                data_q[slot(head_q, int'(count_q))] <= push_data;
            end
            if (do_pop)
                head_q <= slot(head_q, 1);
            count_q <= count_q + CNT_W'(do_push) - CNT_W'(do_pop);
        end
    end
endmodule
