import { z } from "zod";

export const Group = z
  .strictObject({
    name: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
  })
  .meta({ description: "A group of users; calls are attributed to a user's primary group." });
export type Group = z.infer<typeof Group>;
