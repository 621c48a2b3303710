// The access model and rule catalogue: the one source of types, validation, JSON Schema and docs.
export * from "./vocabulary";
export * from "./user";
export * from "./role";
export * from "./group";
export * from "./workspace";
export * from "./tenant";
export * from "./manifest";
export * from "./profiles";
export * from "./normalize";
export * from "./rules";
