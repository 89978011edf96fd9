/* bus.c: the interconnect's set-up and its snoop policies (bus.h says what the bus owns). */
#include "bus.h"

static uint64_t broadcast_targets(const bus_t *b, const bus_req_t *req, unsigned nagents)
{
    (void)b;
    uint64_t all = nagents >= 64 ? ~0ull : (1ull << nagents) - 1;
    return all & ~(1ull << req->requester);
}

const bus_snoop_ops_t bus_broadcast = {.name = "broadcast", .targets = broadcast_targets};

static uint64_t filtered_targets(const bus_t *b, const bus_req_t *req, unsigned nagents)
{
    (void)nagents;
    return sf_agents(&b->filter, req->line) & ~(1ull << req->requester);
}

const bus_snoop_ops_t bus_filtered = {.name = "filtered", .targets = filtered_targets};

int bus_init(bus_t *b, uint32_t latency, uint32_t occupancy, const bus_snoop_ops_t *snoop,
             unsigned line_shift)
{
    *b = (bus_t){.latency = latency, .occupancy = occupancy, .snoop = snoop};
    if (snoop != &bus_filtered)
        return 0;
    if (sf_init(&b->filter, line_shift) != 0) {
        b->snoop = &bus_broadcast;
        return -1;
    }
    b->filtering = true;
    return 0;
}

void bus_stop_filtering(bus_t *b)
{
    sf_fini(&b->filter);
    b->filtering = false;
    b->owners = false;
    b->snoop = &bus_broadcast;
}

void bus_fini(bus_t *b)
{
    if (b->filtering)
        bus_stop_filtering(b);
}
