// The timing loop every bench suite shares.

/** Milliseconds spent on each figure (BENCH_MS, default 300). */
export const BUDGET_MS = Number(process.env.BENCH_MS ?? 300);

/**
 * ns/op of `fn`, measured in doubling batches until the budget is spent, after a warm-up of a
 * third of the budget (wasm tiers up to optimised code in the background).
 */
export function measure(fn, budgetMs = BUDGET_MS) {
  const warm = process.hrtime.bigint() + BigInt(Math.round((budgetMs * 1e6) / 3));
  while (process.hrtime.bigint() < warm) for (let i = 0; i < 10; i++) fn();
  let iters = 0,
    ns = 0n;
  const budget = BigInt(Math.round(budgetMs * 1e6));
  for (let batch = 16; ns < budget; batch *= 2) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    ns += process.hrtime.bigint() - t0;
    iters += batch;
  }
  return Number(ns) / iters;
}
