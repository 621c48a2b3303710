// Benchmarks that need the engine model (TypeScript under test/support) run through vitest:
//   npm run bench:up   (N and R from BENCH_USERS / BENCH_RATE)
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["bench/up.ts"],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
