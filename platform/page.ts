// A small read-only web page: users, licences and the audit log of the token's tenant. The token is
// read from the URL fragment (#token=..., never sent to the server or logged) or typed in, kept in
// sessionStorage, and sent as a bearer header. Everything is rendered with textContent (no HTML injection).
export function renderPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>analytics-access platform</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222} h1{font-size:1.3rem} h2{font-size:1.1rem;margin-top:1.5rem}
 table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
 th{background:#f4f4f4} code,.mono{font-family:ui-monospace,monospace;font-size:12px} .err{color:#a00} .muted{color:#777}
 #who{margin:.5rem 0} input{width:28rem}
</style></head>
<body>
<h1>analytics-access reference platform</h1>
<p class="muted">Read-only view. API: <code>/api/v1</code>, OpenAPI: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<form id="f"><label>API token <input id="tok" type="password" autocomplete="off"></label> <button>Show</button></form>
<div id="who"></div><div id="msg" class="err"></div>
<h2>Licences</h2><table id="lic"><thead><tr><th>licence</th><th>capacity</th><th>in use</th></tr></thead><tbody></tbody></table>
<h2>Users <span id="ucount" class="muted"></span></h2>
<table id="users"><thead><tr><th>id</th><th>origin</th><th>ext</th><th>name</th><th>email</th><th>roles</th><th>softphone</th></tr></thead><tbody></tbody></table>
<h2>Audit log (newest first)</h2>
<table id="audit"><thead><tr><th>seq</th><th>at</th><th>actor</th><th>action</th><th>entity</th><th>request</th></tr></thead><tbody></tbody></table>
<script>
(function(){
  var m = /token=([^&]+)/.exec(location.hash);
  if (m) { sessionStorage.setItem("aaToken", decodeURIComponent(m[1])); history.replaceState(null, "", location.pathname); }
  var tokEl = document.getElementById("tok");
  tokEl.value = sessionStorage.getItem("aaToken") || "";
  function api(path){ return fetch("/api/v1" + path, { headers: { Authorization: "Bearer " + tokEl.value } }).then(function(r){
    return r.json().then(function(b){ if (!r.ok) throw new Error(r.status + " " + (b.code || "") + ": " + (b.detail || "")); return b; }); }); }
  function fill(id, rows){ var tb = document.querySelector("#" + id + " tbody"); tb.textContent = "";
    rows.forEach(function(cells){ var tr = document.createElement("tr"); cells.forEach(function(c){ var td = document.createElement("td"); td.textContent = c == null ? "" : String(c); tr.appendChild(td); }); tb.appendChild(tr); }); }
  function load(){
    document.getElementById("msg").textContent = "";
    if (!tokEl.value) { document.getElementById("msg").textContent = "Paste an API token (serve --demo prints one)."; return; }
    sessionStorage.setItem("aaToken", tokEl.value);
    api("/me").then(function(me){ document.getElementById("who").textContent = "Tenant " + me.tenant.name + " (" + me.tenant.id + ", " + me.tenant.profile + ") as " + me.user.email;
      return Promise.all([api("/licences"), api("/users?limit=500"), api("/audit?order=desc&limit=100")]); })
    .then(function(r){
      fill("lic", r[0].items.map(function(l){ return [l.key, l.capacity, l.inUse]; }));
      document.getElementById("ucount").textContent = "(" + r[1].items.length + (r[1].nextCursor ? "+" : "") + ")";
      fill("users", r[1].items.map(function(u){ return [u.id, u.origin, u.extension, u.displayName, u.email, u.roles.join(" "), u.softphoneDevice]; }));
      fill("audit", r[2].items.map(function(a){ return [a.seq, a.at, a.actor, a.action, a.entity + " " + a.entityId, a.requestId]; }));
    }).catch(function(e){ document.getElementById("msg").textContent = e.message; });
  }
  document.getElementById("f").addEventListener("submit", function(e){ e.preventDefault(); load(); });
  if (tokEl.value) load();
})();
</script>
</body></html>
`;
}
