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
 * glibc reads it once, at process start: it is set by every launcher of the hub (the Debian
 * launcher resources/debian/accueil-esc-hub, scripts/run-cli.mjs for `npm run hub`, the bench), and
 * tests/unit/hub-allocator.test.ts keeps them equal to this constant.
 */
export const HUB_ALLOCATOR_ENV: Readonly<Record<string, string>> = Object.freeze({ MALLOC_MMAP_THRESHOLD_: '1048576' });
