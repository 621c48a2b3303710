// The ucClient family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { dir, knownTenant, manifest, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { ucClient } from "./ucClient";

describeRuleCases(ucClient, {
  "UC-1": {
    breaks: [{
      name: "a softphone on Essential",
      manifest: manifest({ users: [pbx("201", { ucClient: { softphone: { device: "d201" } } })] }),
      tenant: knownTenant(),
      expect: [{ path: ["users", 0, "ucClient", "softphone"], message: /softphone needs the Professional licence; this user has essential/, fix: /`accessType: professional`.*or remove the softphone/ }],
    }],
    passes: [{ name: "a softphone on Professional", manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201" } } })] }), tenant: knownTenant() }],
  },

  "UC-2": {
    breaks: [
      {
        name: "a softphone on another extension's device",
        manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d202" } } })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "ucClient", "softphone", "device"], message: /device "d202" does not belong to extension 201/, fix: /one of the user's own devices/ }],
      },
      {
        name: "a CRM softphone on a device that is not WebRTC-enabled",
        manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201", client: "crm" } } })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "ucClient", "softphone", "device"], message: /device "d201" is not WebRTC-enabled.*CRM softphone/, fix: /WebRTC-enabled device, or use the desktop client/ }],
      },
    ],
    passes: [
      {
        name: "a CRM softphone on the user's WebRTC device",
        manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "w201", client: "crm" } } })] }),
        tenant: knownTenant({ directory: [dir("201", { devices: [{ id: "d201" }, { id: "w201", webrtc: true }] })] }),
      },
      { name: "a desktop softphone on a device without WebRTC", manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201" } } })] }), tenant: knownTenant() },
    ],
  },

  "UC-3": {
    breaks: [{
      name: "the CRM client without the CRM add-on",
      manifest: manifest({ users: [pbx("201", { ucClient: { crm: true } })] }),
      expect: [{ path: ["users", 0, "ucClient", "crm"], message: /CRM client access needs the CRM add-on/, fix: /add `crm` to `addOns`.*or remove `ucClient.crm`/ }],
    }],
    passes: [{ name: "the CRM client with the CRM add-on", manifest: manifest({ users: [pbx("201", { addOns: ["crm"], ucClient: { crm: true } })] }) }],
  },
});
