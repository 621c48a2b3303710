// The settings family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { settings } from "./settings";

describeRuleCases(settings, {
  "REC-1": {
    breaks: [{
      name: "Recording Playback without a recording bucket",
      manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, recordingPlayback: "own" } })] }),
      tenant: knownTenant({ recordingBucket: false }),
      expect: [{ path: ["users", 0, "permissions", "recordingPlayback"], message: /Recording Playback is granted but the tenant has no call-recording bucket/, fix: /configure a recording bucket.*or remove `recordingPlayback`/ }],
    }],
    passes: [
      { name: "Recording Playback with a bucket", manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, recordingPlayback: "all" } })] }), tenant: knownTenant({ recordingBucket: true }) },
      { name: "recordingPlayback: false without a bucket", manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, recordingPlayback: false } })] }), tenant: knownTenant() },
    ],
  },

  "AGT-1": {
    breaks: [{
      name: "the Agent add-on when the tenant assigns it automatically",
      manifest: manifest({ users: [pbx("201", { addOns: ["agent"] })] }),
      tenant: knownTenant({ agentAutoAssign: true }),
      expect: [{ path: ["users", 0, "addOns"], message: /assigns the Agent add-on automatically from PBX config.*fight the platform/, fix: /remove `agent` from `addOns`/ }],
    }],
    passes: [
      { name: "the Agent add-on when auto-assign is off", manifest: manifest({ users: [pbx("201", { addOns: ["agent"] })] }), tenant: knownTenant({ agentAutoAssign: false }) },
      { name: "other add-ons when auto-assign is on", manifest: manifest({ users: [pbx("201", { addOns: ["crm"] })] }), tenant: knownTenant({ agentAutoAssign: true }) },
    ],
  },
});
