/* bus.c: the interconnect's set-up and its snoop policies (bus.h says what the bus owns). */
#include "bus.h"

void bus_init(bus_t *b, uint32_t latency, uint32_t occupancy, const bus_snoop_ops_t *snoop)
{
    *b = (bus_t){.latency = latency, .occupancy = occupancy, .snoop = snoop};
}

static uint64_t broadcast_targets(const bus_req_t *req, unsigned nagents)
{
    uint64_t all = nagents >= 64 ? ~0ull : (1ull << nagents) - 1;
    return all & ~(1ull << req->requester);
}

const bus_snoop_ops_t bus_broadcast = {.name = "broadcast", .targets = broadcast_targets};
