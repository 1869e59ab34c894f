/**
 * How the hub's process asks glibc's allocator to behave (Linux; Windows has its own heap).
 *
 * glibc raises its mmap threshold each time a large block is freed: after one 8 MiB buffer (a
 * password hash, a backup's pages, an export's rows) the next blocks of that size are carved from
 * the per-thread arenas, which keep them resident for good. On the ten-year bench this held 15 to
 * 25 MB of a hub that must stay under 150 MB (issue 16, docs/performance.md). A fixed threshold of
 * 1 MiB keeps every large block in its own mapping, given back to the system when freed; smaller
 * blocks are unchanged. Setting the variable also fixes glibc's trim threshold (it stops adapting).
 *
 *
 * glibc also gives each thread that allocates an arena of its own (up to 8 per core): the desks'
 * thread, libuv's pool, the job worker and the WAL checkpointer (decision 029) each kept their
 * freed small blocks apart. Two arenas in all (`MALLOC_ARENA_MAX=2`) took the ten-year bench's
 * peak from 142 to 135–137 MB with the same round trips (docs/performance.md).
 *
 * glibc reads them once, at process start: they are set by every launcher of the hub (the Debian
 * launcher resources/debian/accueil-esc-hub, scripts/run-cli.mjs for `npm run hub`, the bench), and
 * tests/unit/hub-allocator.test.ts keeps them equal to this constant.
 */
export const HUB_ALLOCATOR_ENV: Readonly<Record<string, string>> = Object.freeze({ MALLOC_MMAP_THRESHOLD_: '1048576', MALLOC_ARENA_MAX: '2' });
