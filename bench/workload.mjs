// The shared workload of the prolly-core benchmark: 14-byte keys, ~50-byte values, 10,000 gets
// and 1,000 single-key updates at spread-out positions. Before the timed phases each side warms
// its JIT on a separate scratch tree (gets and updates of the same kind), which it then drops,
// so the measured tree is not grown by the warm-up.
export const GETS = 10_000;
export const UPDATES = 1_000;
export const DIFF_CHANGES = 100;
export const WARMUP_ENTRIES = 20_000;
export const WARMUP_GETS = 20_000;
export const WARMUP_UPDATES = 3_000;

export const keyText = (i) => "key:" + String(i).padStart(10, "0");
export const valText = (i) => "value-" + i + "-" + "x".repeat(40);
export const getIndex = (j, n) => (j * 7919) % n;
export const updateIndex = (j, n) => (j * 104729) % n;
export const diffIndex = (j, n) => (j * 15485863 + 17) % n;
