import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests under test/; unit tests beside the code they test.
    include: ["test/**/*.test.ts", "{schema,manifest,review,platform,provider}/**/*.test.ts"],
    exclude: ["node_modules", "dist"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Both cores: most engine tests wait on child processes and on paced or retried requests, so two
    // files at once finish sooner than vitest's default of one worker on a 2-core machine.
    maxWorkers: 2,
  },
});
