// `npm run bench`: every benchmark, ours side by side with its peers in the same run.
// BENCH_MS sets the time spent per figure (default 300 ms). Pass names to run some: der crypto.
const suites = ["der", "crypto", "ticket", "cache", "fleet"];
const only = process.argv.slice(2);
for (const name of suites) {
  if (only.length && !only.includes(name)) continue;
  const mod = await import(new URL(`./${name}.mjs`, import.meta.url));
  console.log(`\n=== ${name} ===`);
  await mod.run();
}
