import { Group } from "../../schema";
import { namedEntityHandler } from "./named";

export const handler = namedEntityHandler({ path: "/groups", schema: Group, collection: "groups", declare: (plan, name) => plan.declareGroup(name) });
