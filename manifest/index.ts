// The manifest file format (`analytics-access/manifest`): YAML manifests, overlays and tenant facts
// files read with every problem at file:line:column, written back deterministically, and their
// JSON Schemas. The model and rules they are checked against are ../schema.
export { type Problem, formatProblem, type ManifestResult, type ManifestOptions, type ParsedYaml, type ReadOptions, parseManifest, parseTenantFacts, readYaml, checkShape, formatPath, sortProblems, capProblems, type Omitted } from "./parse";
export { LIMITS } from "./limits";
export { loadManifest, loadTenantFacts, LoadError } from "./load";
export { manifestJsonSchema, manifestJsonSchemaText, SCHEMA_FILES, type SchemaKind } from "./jsonSchema";
export { closest, editDistance } from "./suggest";
export { type Position, type SourceTree } from "./source";
export { Overlay, applyOverlay, loadOverlay } from "./overlay";
export { renderManifest, type RenderOptions, yamlString } from "./write";
