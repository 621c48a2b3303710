import { Group } from "../../schema";
import { namedEntityHandler } from "./named";

export const handler = namedEntityHandler({ noun: "group", path: "/groups", schema: Group, list: (s) => s.groups(), cacheKey: "groups" });
