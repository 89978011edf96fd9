/* test_os.c: the OS layer alone (processes, handles, files, page cache, views, flush checks), with
 * 64-byte pages so every case stays tiny. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/os.h"

/* Physical memory for the tests: the first 64 frames of 64 bytes, one buffer per test. */
typedef struct fake_phys {
    uint8_t bytes[64 * 64];
} fake_phys_t;

static uint8_t *fake_at(void *opaque, uint64_t pa, size_t len)
{
    cr_assert(pa >= OS_FRAME_BASE && pa - OS_FRAME_BASE + len <= 64 * 64, "paddr 0x%llx",
              (unsigned long long)pa);
    return ((fake_phys_t *)opaque)->bytes + (pa - OS_FRAME_BASE);
}

static void fake_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
    memcpy(buf, fake_at(opaque, pa, len), len);
}

static os_result_t fake_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
    memcpy(fake_at(opaque, pa, len), buf, len);
    return OS_OK;
}

#define make(cores) make_with(cores, &(fake_phys_t){{0}})

static os_t *make_with(uint32_t cores, fake_phys_t *phys)
{
    char err[256];
    os_config_t cfg = {.cores = cores, .page_size = 64, .disk_latency = 100, .disk_bandwidth = 4};
    os_phys_t ph = {.opaque = phys, .read = fake_read, .write = fake_write};
    os_t *os = os_create(&cfg, &ph, err, sizeof err);
    cr_assert_not_null(os, "%s", err);
    return os;
}

Test(os, create_rejects_bad_config)
{
    char err[256];
    os_config_t cfg = {.cores = 2, .page_size = 96, .disk_latency = 1, .disk_bandwidth = 1};
    os_phys_t ph = {.read = fake_read, .write = fake_write};
    cr_assert_null(os_create(&cfg, &ph, err, sizeof err));
    cfg.page_size = 64, cfg.disk_bandwidth = 0;
    cr_assert_null(os_create(&cfg, &ph, err, sizeof err));
    cfg.disk_bandwidth = 1, cfg.cores = 0;
    cr_assert_null(os_create(&cfg, &ph, err, sizeof err));
}

Test(os, disk_cycles_round_up)
{
    os_t *os = make(2);
    cr_assert_eq(os_disk_cycles(os, 0), 100);
    cr_assert_eq(os_disk_cycles(os, 1), 101);
    cr_assert_eq(os_disk_cycles(os, 64), 116);
    cr_assert_eq(os_disk_cycles(os, 65), 117);
    os_destroy(os);
}

Test(os, implicit_process_runs_on_every_core_until_replaced)
{
    char err[256];
    os_t *os = make(4);
    const os_process_t *p = os_process_find(os, 1);
    cr_assert_not_null(p);
    cr_assert_eq(p->cpus, 0xf);
    cr_assert(p->implicit);
    cr_assert_eq(os_process_of_cpu(os, 3)->id, 1);
    cr_assert_eq(os_process_create(os, 2, 0x3, err, sizeof err), OS_OK);
    cr_assert_null(os_process_find(os, 1));
    cr_assert_eq(os_process_count(os), 1);
    cr_assert_null(os_process_of_cpu(os, 3));
    cr_assert_eq(os_process_create(os, 2, 0x4, err, sizeof err), OS_EEXIST);
    cr_assert_eq(os_process_create(os, 3, 0x10, err, sizeof err), OS_EINVAL); /* core 4 */
    cr_assert_eq(os_process_create(os, 3, 0, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_process_create(os, 0, 1, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_process_create(os, 1, 0x6, err, sizeof err), OS_OK);
    /* core 1 runs threads of 1 and 2: the lowest id is its process */
    cr_assert_eq(os_process_of_cpu(os, 1)->id, 1);
    cr_assert_eq(os_process_of_cpu(os, 0)->id, 2);
    os_destroy(os);
}

Test(os, implicit_process_cannot_be_replaced_once_used)
{
    char err[256];
    os_t *os = make(2);
    cr_assert_eq(os_file_create(os, "f", 256, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 256, err, sizeof err), OS_OK);
    cr_assert_eq(os_process_create(os, 2, 1, err, sizeof err), OS_EINVAL);
    cr_assert(strstr(err, "implicit"));
    os_destroy(os);
}

Test(os, handles_resolve_current_declared_and_plain)
{
    char err[256];
    os_t *os = make(4);
    cr_assert_eq(os_process_create(os, 1, 0x3, err, sizeof err), OS_OK);
    cr_assert_eq(os_process_create(os, 2, 0xc, err, sizeof err), OS_OK);
    cr_assert_eq(os_handle_create(os, 9, 2, false, err, sizeof err), OS_OK);
    cr_assert_eq(os_handle_create(os, 9, 2, true, err, sizeof err), OS_EEXIST);
    cr_assert_eq(os_handle_create(os, 1, 2, true, err, sizeof err), OS_EEXIST);
    cr_assert_eq(os_handle_create(os, 10, 7, true, err, sizeof err), OS_ENOENT);
    cr_assert_eq(os_handle_create(os, 0, 1, true, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_handle_create(os, OS_HANDLE_CURRENT, 1, true, err, sizeof err), OS_EINVAL);
    const os_process_t *p;
    cr_assert_eq(os_handle_resolve(os, OS_HANDLE_CURRENT, 2, &p), OS_HANDLE_OK);
    cr_assert_eq(p->id, 2);
    cr_assert_eq(os_handle_resolve(os, 1, 3, &p), OS_HANDLE_OK);
    cr_assert_eq(p->id, 1);
    cr_assert_eq(os_handle_resolve(os, 9, 0, &p), OS_HANDLE_DENIED);
    cr_assert_eq(p->id, 2);
    cr_assert_eq(os_handle_resolve(os, 5, 0, &p), OS_HANDLE_INVALID);
    cr_assert_null(p);
    cr_assert_eq(os_process_create(os, 9, 0x1, err, sizeof err), OS_EEXIST);
    os_destroy(os);
}

Test(os, files_are_zero_on_disk_and_sized_in_pages)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "a", 100, err, sizeof err), OS_OK);
    cr_assert_eq(os_file_create(os, "a", 100, err, sizeof err), OS_EEXIST);
    cr_assert_eq(os_file_create(os, "", 100, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_file_create(os, "huge", (uint64_t)64 * OS_MAX_FILE_PAGES + 1, err,
                                sizeof err),
                 OS_EINVAL);
    cr_assert_eq(os_file_create(os, "empty", 0, err, sizeof err), OS_OK);
    cr_assert_eq(os_file_pages(os, 0), 2);
    cr_assert_eq(os_file_pages(os, 1), 0);
    cr_assert_eq(os_file_find(os, "a"), 0);
    cr_assert_eq(os_file_find(os, "nope"), OS_NO_FILE);
    uint8_t buf[100];
    memset(buf, 0xaa, sizeof buf);
    cr_assert_eq(os_disk_read(os, 0, 0, buf, 100), OS_OK);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(buf[i], 0);
    cr_assert_eq(os_disk_read(os, 0, 96, buf, 5), OS_EINVAL);
    cr_assert_eq(os_disk_read(os, 0, 101, buf, 0), OS_EINVAL);
    os_destroy(os);
}

Test(os, map_checks_alignment_bounds_and_overlap)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "f", 200, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 2, 0, 0x1000, 0, 64, err, sizeof err), OS_ENOENT);
    cr_assert_eq(os_map(os, 1, 5, 0x1000, 0, 64, err, sizeof err), OS_ENOENT);
    cr_assert_eq(os_map(os, 1, 0, 0x1010, 0, 64, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 32, 64, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 0, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 64, 137, err, sizeof err), OS_EINVAL);
    cr_assert(strstr(err, "past the end"));
    cr_assert_eq(os_map(os, 1, 0, 0, 0, 64, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_map(os, 1, 0, OS_USER_LIMIT + 1, 0, 64, err, sizeof err), OS_EINVAL);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 64, 136, err, sizeof err), OS_OK); /* 3 pages */
    const os_view_t *v = os_view_at(os, 0x10bf);
    cr_assert_not_null(v);
    cr_assert_eq(v->span, 192);
    cr_assert_null(os_view_at(os, 0x10c0));
    cr_assert_null(os_view_at(os, 0xfff));
    cr_assert_eq(os_map(os, 1, 0, 0x1080, 0, 64, err, sizeof err), OS_EEXIST);
    cr_assert_eq(os_map(os, 1, 0, 0xfc0, 0, 128, err, sizeof err), OS_EEXIST);
    cr_assert_eq(os_map(os, 1, 0, 0xfc0, 0, 64, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x10c0, 0, 64, err, sizeof err), OS_OK);
    cr_assert_eq(os_view_count(os), 3);
    cr_assert_eq(os_view_at_index(os, 0)->base, 0xfc0);
    v = os_view_at(os, 0x1000); /* os_map moved the views */
    cr_assert_eq(os_view_page(os, v, 0x1040), 2);
    uint64_t run;
    cr_assert_eq(os_view_span(os, 0x1010, &run), v);
    cr_assert_eq(run, 0x30);
    cr_assert_null(os_view_span(os, 0x800, &run));
    cr_assert_eq(run, 0x7c0);
    cr_assert_null(os_view_span(os, 0x2000, &run));
    cr_assert_eq(run, UINT64_MAX);
    os_destroy(os);
}

Test(os, views_of_one_page_share_bytes_and_stores_dirty)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "f", 128, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 128, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x2000, 64, 64, err, sizeof err), OS_OK);
    uint64_t v = 0x1122334455667788ull, got = 0;
    cr_assert_eq(os_view_write(os, 0x1048, &v, 8), OS_OK);
    cr_assert_eq(os_page_state(os, 0, 1), OS_PAGE_RESIDENT | OS_PAGE_DIRTY);
    cr_assert_eq(os_page_state(os, 0, 0), 0);
    cr_assert_eq(os_view_read(os, 0x2008, &got, 8), OS_OK);
    cr_assert_eq(got, v);
    cr_assert_eq(os_view_write(os, 0x103c, &v, 8), OS_EINVAL); /* crosses a page */
    cr_assert_eq(os_view_read(os, 0x3000, &got, 8), OS_EINVAL);
    cr_assert_eq(os_file_dirty_pages(os, 0), 1);
    cr_assert_eq(os_file_resident_pages(os, 0), 1);
    os_destroy(os);
}

Test(os, fault_flush_purge_move_real_bytes)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "f", 100, err, sizeof err), OS_OK); /* last page: 36 bytes */
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 100, err, sizeof err), OS_OK);
    uint64_t cycles = 0, faulted = 0;
    cr_assert_eq(os_fault_range(os, 0xff0, 0x60, &cycles, &faulted), OS_OK);
    cr_assert_eq(faulted, 2);
    cr_assert_eq(cycles, 2 * 100 + 16 + 9);
    cr_assert_eq(os_fault_range(os, 0x1000, 8, &cycles, &faulted), OS_OK);
    cr_assert_eq(faulted, 2); /* resident: nothing more faulted */
    cr_assert_eq(os_file_stats(os, 0)->pages_read, 2);
    uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    cr_assert_eq(os_view_write(os, 0x1060, b, 8), OS_OK); /* file bytes 96..103: 4 past EOF */
    cr_assert_eq(os_page_purge(os, 0, 1, false), OS_EINVAL); /* dirty: refused */
    cycles = 0;
    cr_assert_eq(os_page_write(os, 0, 1, &cycles), OS_WRITTEN);
    cr_assert_eq(cycles, 100 + 9);
    cr_assert_eq(os_page_write(os, 0, 1, &cycles), OS_OK); /* clean */
    uint8_t d[4];
    cr_assert_eq(os_disk_read(os, 0, 96, d, 4), OS_OK);
    cr_assert_eq(memcmp(d, b, 4), 0);
    cr_assert_eq(os_page_purge(os, 0, 1, false), OS_PURGED);
    cr_assert_eq(os_page_purge(os, 0, 1, false), OS_OK); /* not resident */
    /* Faulting back reads the disk: the bytes past EOF were never written. */
    uint8_t r[8];
    cr_assert_eq(os_view_read(os, 0x1060, r, 8), OS_OK);
    cr_assert_eq(memcmp(r, b, 4), 0);
    cr_assert_eq(r[4] | r[5] | r[6] | r[7], 0);
    const os_file_stats_t *st = os_file_stats(os, 0);
    cr_assert_eq(st->pages_written, 1);
    cr_assert_eq(st->pages_purged, 1);
    cr_assert_eq(st->pages_lost, 0);
    os_destroy(os);
}

Test(os, purge_of_dirty_page_with_loss_is_counted)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "f", 64, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 64, err, sizeof err), OS_OK);
    uint8_t b = 7;
    cr_assert_eq(os_view_write(os, 0x1000, &b, 1), OS_OK);
    cr_assert_eq(os_page_purge(os, 0, 0, true), OS_PURGED);
    cr_assert_eq(os_file_stats(os, 0)->pages_lost, 1);
    os_destroy(os);
}

Test(os, locked_pages_are_resident_and_never_purged)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "f", 256, err, sizeof err), OS_OK);
    uint64_t cycles = 0;
    cr_assert_eq(os_page_lock(os, 0, 4, &cycles, err, sizeof err), OS_ENOENT);
    cr_assert_eq(os_page_lock(os, 0, 2, &cycles, err, sizeof err), OS_OK);
    cr_assert_eq(cycles, 116);
    cr_assert_eq(os_page_lock(os, 0, 2, &cycles, err, sizeof err), OS_EBUSY);
    cr_assert_eq(os_page_state(os, 0, 2), OS_PAGE_RESIDENT | OS_PAGE_LOCKED);
    cr_assert(os_pages_locked(os, 0, 0, 3));
    cr_assert_not(os_pages_locked(os, 0, 0, 2));
    cr_assert_eq(os_page_purge(os, 0, 2, true), OS_EBUSY);
    cr_assert_eq(os_page_unlock(os, 0, 2, err, sizeof err), OS_OK);
    cr_assert_eq(os_page_unlock(os, 0, 2, err, sizeof err), OS_EBUSY);
    cr_assert_eq(os_page_unlock(os, 0, 9, err, sizeof err), OS_ENOENT);
    cr_assert_eq(os_page_purge(os, 0, 2, false), OS_PURGED);
    os_destroy(os);
}

Test(os, acquire_and_release_are_exclusive)
{
    char err[256];
    os_t *os = make(1);
    cr_assert_eq(os_file_create(os, "f", 64, err, sizeof err), OS_OK);
    cr_assert_eq(os_file_release(os, 0, err, sizeof err), OS_EBUSY);
    cr_assert_eq(os_file_acquire(os, 0, err, sizeof err), OS_OK);
    cr_assert(os_file_acquired(os, 0));
    cr_assert_eq(os_file_acquire(os, 0, err, sizeof err), OS_EBUSY);
    cr_assert_eq(os_file_release(os, 0, err, sizeof err), OS_OK);
    cr_assert_not(os_file_acquired(os, 0));
    os_destroy(os);
}

Test(os, status_names_and_values)
{
    cr_assert_str_eq(os_status_name(OS_STATUS_SUCCESS), "STATUS_SUCCESS");
    cr_assert_eq(os_status_value(OS_STATUS_SUCCESS), 0);
    cr_assert_str_eq(os_status_name(OS_STATUS_NOT_MAPPED_VIEW), "STATUS_NOT_MAPPED_VIEW");
    cr_assert_eq(os_status_value(OS_STATUS_NOT_MAPPED_VIEW), 0xC0000019u);
    cr_assert_eq(os_status_value(OS_STATUS_CACHE_PAGE_LOCKED), 0x115u);
    cr_assert_eq(os_status_value(OS_STATUS_INVALID_PARAMETER_2), 0xC00000F0u);
}

/* A process 1 on cores 0-1 with a 4-page view of f at 0x1000, and process 2 on core 2. */
static os_t *zw_fixture(fake_phys_t *phys)
{
    char err[256];
    os_t *os = make_with(3, phys);
    cr_assert_eq(os_process_create(os, 1, 0x3, err, sizeof err), OS_OK);
    cr_assert_eq(os_process_create(os, 2, 0x4, err, sizeof err), OS_OK);
    cr_assert_eq(os_file_create(os, "f", 250, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 250, err, sizeof err), OS_OK);
    return os;
}

Test(os, zw_flush_rounds_out_to_pages)
{
    fake_phys_t phys = {{0}};
    os_t *os = zw_fixture(&phys);
    const os_view_t *v;
    uint64_t b, s;
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1010, 8, &v, &b, &s), OS_STATUS_SUCCESS);
    cr_assert_eq(b, 0x1000);
    cr_assert_eq(s, 64);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1030, 0x20, &v, &b, &s), OS_STATUS_SUCCESS);
    cr_assert_eq(b, 0x1000);
    cr_assert_eq(s, 128); /* crosses a page boundary: two pages */
    /* size 0: from base's page to the end of the view (250 bytes -> 4 pages) */
    cr_assert_eq(os_zw_flush_check(os, OS_HANDLE_CURRENT, 1, 0x1050, 0, &v, &b, &s),
                 OS_STATUS_SUCCESS);
    cr_assert_eq(b, 0x1040);
    cr_assert_eq(s, 192);
    /* exactly to the end of the view is fine; a byte more is not */
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1000, 256, &v, &b, &s), OS_STATUS_SUCCESS);
    cr_assert_eq(s, 256);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1000, 257, &v, &b, &s),
                 OS_STATUS_INVALID_PARAMETER_2);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1010, UINT64_MAX - 0x1010, &v, &b, &s),
                 OS_STATUS_INVALID_PARAMETER_2);
    os_destroy(os);
}

Test(os, zw_flush_statuses_in_order)
{
    char err[256];
    fake_phys_t phys = {{0}};
    os_t *os = zw_fixture(&phys);
    const os_view_t *v;
    uint64_t b, s;
    cr_assert_eq(os_handle_create(os, 7, 1, false, err, sizeof err), OS_OK);
    cr_assert_eq(os_zw_flush_check(os, 42, 0, 0x1000, 0, &v, &b, &s), OS_STATUS_INVALID_HANDLE);
    cr_assert_eq(os_zw_flush_check(os, 7, 0, 0x1000, 0, &v, &b, &s), OS_STATUS_ACCESS_DENIED);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, OS_USER_LIMIT + 1, 0, &v, &b, &s),
                 OS_STATUS_INVALID_PARAMETER_2);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x2000, 0, &v, &b, &s), OS_STATUS_NOT_MAPPED_VIEW);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0, 0, &v, &b, &s), OS_STATUS_NOT_MAPPED_VIEW);
    /* a view of another process is not mapped in this one */
    cr_assert_eq(os_zw_flush_check(os, 2, 0, 0x1000, 0, &v, &b, &s), OS_STATUS_NOT_MAPPED_VIEW);
    cr_assert_eq(os_zw_flush_check(os, OS_HANDLE_CURRENT, 2, 0x1000, 0, &v, &b, &s),
                 OS_STATUS_NOT_MAPPED_VIEW);
    cr_assert_eq(os_file_acquire(os, 0, err, sizeof err), OS_OK);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1000, 0, &v, &b, &s), OS_STATUS_FILE_LOCK_CONFLICT);
    cr_assert_eq(os_file_release(os, 0, err, sizeof err), OS_OK);
    uint8_t x = 1;
    cr_assert_eq(os_view_write(os, 0x1000, &x, 1), OS_OK);
    cr_assert_eq(os_view_write(os, 0x1040, &x, 1), OS_OK);
    os_set_io_limit(os, 1);
    cr_assert_eq(os_io_limit(os), 1);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1000, 0, &v, &b, &s),
                 OS_STATUS_INSUFFICIENT_RESOURCES);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1040, 0, &v, &b, &s), OS_STATUS_SUCCESS);
    os_set_io_limit(os, 0);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1000, 0, &v, &b, &s), OS_STATUS_SUCCESS);
    cr_assert_eq(os_process_terminate(os, 1, err, sizeof err), OS_OK);
    cr_assert_eq(os_process_terminate(os, 5, err, sizeof err), OS_ENOENT);
    cr_assert_eq(os_zw_flush_check(os, 1, 0, 0x1000, 0, &v, &b, &s),
                 OS_STATUS_PROCESS_IS_TERMINATING);
    os_destroy(os);
}

Test(os, cc_range_null_zero_and_rounding)
{
    char err[256];
    fake_phys_t phys = {{0}};
    os_t *os = zw_fixture(&phys);
    uint64_t first, count;
    cr_assert_eq(os_cc_range(os, 0, true, 999, 999, &first, &count, err, sizeof err), OS_OK);
    cr_assert_eq(first, 0);
    cr_assert_eq(count, 4);
    cr_assert_eq(os_cc_range(os, 0, false, 70, 0, &first, &count, err, sizeof err), OS_OK);
    cr_assert_eq(count, 0);
    cr_assert_eq(os_cc_range(os, 0, false, 70, 60, &first, &count, err, sizeof err), OS_OK);
    cr_assert_eq(first, 1);
    cr_assert_eq(count, 2);
    cr_assert_eq(os_cc_range(os, 0, false, 0, 250, &first, &count, err, sizeof err), OS_OK);
    cr_assert_eq(count, 4);
    cr_assert_eq(os_cc_range(os, 0, false, 0, 251, &first, &count, err, sizeof err), OS_EINVAL);
    cr_assert(strstr(err, "past the end"));
    cr_assert_eq(os_cc_range(os, 0, false, 251, 0, &first, &count, err, sizeof err), OS_EINVAL);
    os_destroy(os);
}

Test(os, translate_maps_views_to_frames_and_stores_dirty)
{
    os_t *os = make(1);
    char err[256];
    cr_assert_eq(os_file_create(os, "f", 128, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x1000, 0, 128, err, sizeof err), OS_OK);
    cr_assert_eq(os_map(os, 1, 0, 0x2000, 64, 64, err, sizeof err), OS_OK);
    uint64_t pa, pa2, cycles = 0;
    cr_assert_eq(os_translate(os, 0x3000, &pa, &cycles), OS_OK);
    cr_assert_eq(pa, 0x3000); /* outside views: identity */
    cr_assert_eq(os_translate(os, 0x1048, &pa, &cycles), OS_FAULTED);
    cr_assert_eq(cycles, 116);
    cr_assert_eq(pa, OS_FRAME_BASE + 8);
    cr_assert_eq(os_page_frame(os, 0, 1), OS_FRAME_BASE);
    cr_assert_eq(os_translate(os, 0x2008, &pa2, &cycles), OS_OK); /* the same page, resident */
    cr_assert_eq(pa2, pa);
    cr_assert_eq(os_page_state(os, 0, 1), OS_PAGE_RESIDENT);
    os_store_performed(os, 0x3000, 8); /* not a frame */
    os_store_performed(os, pa, 8);
    cr_assert_eq(os_page_state(os, 0, 1), OS_PAGE_RESIDENT | OS_PAGE_DIRTY);
    /* a purged page's frame is not reused; a store arriving there late is counted as lost */
    cycles = 0;
    cr_assert_eq(os_page_write(os, 0, 1, &cycles), OS_WRITTEN);
    cr_assert_eq(os_page_purge(os, 0, 1, false), OS_PURGED);
    cr_assert_eq(os_translate(os, 0x1000, &pa, &cycles), OS_FAULTED);
    cr_assert_eq(pa, OS_FRAME_BASE + 64);
    cr_assert_eq(os_page_frame(os, 0, 0), OS_FRAME_BASE + 64);
    os_store_performed(os, OS_FRAME_BASE + 4, 4);
    cr_assert_eq(os_file_stats(os, 0)->stores_lost, 1);
    cr_assert_eq(os_page_state(os, 0, 0), OS_PAGE_RESIDENT);
    os_destroy(os);
}
