// Manifest files: parsing with positions, shape and rule checks, JSON Schema.
export { type Problem, formatProblem, type ManifestResult, type ManifestOptions, type ParsedYaml, type ReadOptions, parseManifest, parseTenantFacts, readYaml, checkShape, formatPath, sortProblems } from "./parse";
export { loadManifest, loadTenantFacts, LoadError } from "./load";
export { manifestJsonSchema, manifestJsonSchemaText, SCHEMA_FILES, type SchemaKind } from "./jsonSchema";
export { closest, editDistance } from "./suggest";
export { type Position, type SourceTree } from "./source";
export { Overlay, applyOverlay, loadOverlay } from "./overlay";
