import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests under test/; unit tests beside the code they test.
    include: ["test/**/*.test.ts", "{schema,manifest,review,platform,provider}/**/*.test.ts"],
    exclude: ["node_modules", "dist"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
