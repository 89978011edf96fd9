/* faults.h: the deliberate protocol bugs of faults.def, as bits of machine_config_t.faults, and
 * their names. Where each acts (one place each):
 * - no-invalidate: the machine's copy of its protocol's snoop table (machine.c, make_faulty);
 * - no-writeback: hier_writeback_to_shared (hierarchy.c) skips an eviction's write-back, and the
 *   machine's monitor (monitor.c) puts back the bytes the shared level last had;
 * - sb-reorder: drain_one (machine.c), on its observed path, drains the youngest entry;
 * - no-drain-on-fence: the machine's table of operations that wait for an empty store buffer;
 * - icache-no-snoop: the machine's I-caches leave coherence (snooping_l1i, hier_lines.h) while
 *   check mode still holds them to the configured x86 rule.
 * A machine with any fault, or in check mode, runs its own observer (the monitor), so that the
 * faults acting on drains, and the checks that name the event breaking an invariant, live only
 * on the machine's observed paths.
 */
#ifndef COHSIM_FAULTS_H
#define COHSIM_FAULTS_H

#include <stddef.h>
#include <stdint.h>

typedef enum fault_id {
#define FAULT(id, name, what, caught) FAULT_##id,
#include "faults.def"
#undef FAULT
    FAULT_COUNT
} fault_id_t;

#define FAULT_BIT(id) (1u << FAULT_##id)

const char *fault_name(fault_id_t f);
/* What the fault does, and what catches it (faults.def's last two columns). */
const char *fault_doc(fault_id_t f);
const char *fault_caught_by(fault_id_t f);
/* The FAULT_BIT of the fault called name, or 0 when there is none. */
uint32_t fault_lookup(const char *name);
/* The known names, sep between two ("no-invalidate, no-writeback, ..."). */
void fault_names(char *out, size_t len, const char *sep);

#endif
