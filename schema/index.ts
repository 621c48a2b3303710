// The access model and its rules: the one source of types, validation, JSON Schema and docs.
// (The manifest file format is ../manifest, the access review ../review.)
export * from "./vocabulary";
export * from "./permissions";
export * from "./profiles";
export * from "./user";
export * from "./role";
export * from "./group";
export * from "./workspace";
export * from "./tenant";
export * from "./manifest";
export * from "./normalize";
export * from "./licences";
export * from "./rules";
