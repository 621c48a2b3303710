import { Group } from "../../schema";
import { namedEntityHandler } from "./named";

export const handler = namedEntityHandler({ path: "/groups", schema: Group, list: (s) => s.groups(), cacheKey: "groups" });
