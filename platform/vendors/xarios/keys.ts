// The Xarios role keys of the embedded platform's Xarios API, and the platform keys (../../keys.ts)
// each stands for. The documented keys (../../../../shared/VENDOR-APIS.md §1.4) are the vendor's;
// the rest are this platform's choice for keys the public docs do not give (a real tenant's may
// differ: the provider takes them as stack configuration, analytics-access:xariosRoleKeys).
export const XARIOS_KEY_OF_PLATFORM: Record<string, string> = {
  // documented
  "customer.user.pbx": "customer.user.pbx",
  "customer.user.uc.remote": "customer.user.uc.remote",
  "customer.user.pbx.realtime": "customer.user.pbx.realtime",
  "customer.user.acd": "customer.user.acd",
  "customer.permission.website": "customer.user",
  "customer.permission.settings": "customer.settings",
  "customer.supervisor.reports": "customer.user.supervisorl1",
  "customer.supervisor.analytics": "customer.user.supervisorl3",
  // not in the public docs: the embedded platform's own choice
  "customer.user.crm": "customer.user.crm",
  "customer.supervisor.live": "customer.user.supervisorl4",
  "customer.supervisor.contactcenter": "customer.user.supervisorl5",
  "customer.permission.users": "admin.user",
  "customer.permission.billable": "customer.billing",
  "customer.permission.directories": "customer.directories",
  "customer.permission.workspaces": "customer.workspaces",
  "customer.permission.restapi": "customer.restapi",
  "customer.permission.agentcontrol": "customer.agentcontrol",
  "customer.permission.silentmonitor": "customer.silentmonitor",
  "customer.permission.webhooks": "customer.webhooks",
  "customer.permission.recording.own": "customer.recording.own",
  "customer.permission.recording.all": "customer.recording.all",
  "customer.uc.desktop": "customer.uc.desktop",
  "customer.uc.crm": "customer.uc.crm",
};
export const PLATFORM_KEY_OF_XARIOS: Record<string, string> = Object.fromEntries(Object.entries(XARIOS_KEY_OF_PLATFORM).map(([p, x]) => [x, p]));

/** Keys whose addition is a charge (402 without accept-charges: true): user access types, add-ons, supervisor levels. */
export const LICENSED_XARIOS_KEYS: ReadonlySet<string> = new Set([
  "customer.user.pbx", "customer.user.uc.remote", "customer.user.pbx.realtime", "customer.user.acd", "customer.user.crm", "customer.user.microsoftteams",
  "customer.user.supervisorl1", "customer.user.supervisorl3", "customer.user.supervisorl4", "customer.user.supervisorl5",
]);
