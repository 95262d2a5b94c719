// Officer desk. Citizen text is only ever set with textContent: the page never builds markup from strings.
"use strict";

const $ = (id) => document.getElementById(id);
const IST = new Intl.DateTimeFormat("en-IN", {timeZone: "Asia/Kolkata", day: "2-digit", month: "short",
                                              hour: "2-digit", minute: "2-digit", hour12: false});
const STATUS_LABELS = {NEW: "New · नई", ROUTED: "Waiting · प्रतीक्षारत", RESPONDED: "Responded · जवाब दिया",
                       RESOLVED: "Resolved · निस्तारित", NOT_ACTIONABLE: "Not actionable · अकार्यवाही योग्य"};
let session = JSON.parse(sessionStorage.getItem("desk-session") || "null");
let current = null;        // the complaint open in the detail panel
let nextCursor = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function say(text, isError) {
  $("message").textContent = text || "";
  $("message").className = isError ? "error" : "";
}

async function api(method, path, body) {
  const headers = {"Content-Type": "application/json"};
  if (session) headers.Authorization = "Bearer " + session.token;
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 || (response.status === 403 && data.Message)) {
      logout();   // the authorizer refused the token: expired or revoked
    }
    throw new Error(data.error || data.Message || data.message || ("HTTP " + response.status));
  }
  return data;
}

function istTime(iso) { return iso ? IST.format(new Date(iso)) + " IST" : "—"; }

function slaText(c) {
  if (c.first_response_at) return ["Responded " + istTime(c.first_response_at) + " · जवाब दिया", "ok"];
  if (c.sla_paused_at) return ["Clock paused · घड़ी रुकी: " + (c.sla_pause_reason || ""), "paused"];
  if (!c.sla_due_at) return ["No SLA clock · कोई समय सीमा नहीं", ""];
  const left = new Date(c.sla_due_at) - Date.now();
  const minutes = Math.floor(Math.abs(left) / 60000), seconds = Math.floor(Math.abs(left) / 1000) % 60;
  const span = (minutes >= 60 ? Math.floor(minutes / 60) + "h " + (minutes % 60) + "m" : minutes + "m " + seconds + "s");
  const due = " (due " + istTime(c.sla_due_at) + ")";
  return left >= 0 ? [span + " left · शेष" + due, "ok"] : ["Overdue by " + span + " · समय सीमा पार" + due, "overdue"];
}

function showSla(node, complaint) {
  const [text, cls] = slaText(complaint);
  node.textContent = text;
  node.className = "sla " + cls;
}

function tickClocks() {
  document.querySelectorAll("[data-sla]").forEach((node) => showSla(node, node.slaComplaint));
}

function slaNode(tag, complaint) {
  const node = el(tag);
  node.dataset.sla = complaint.id;
  node.slaComplaint = complaint;
  showSla(node, complaint);
  return node;
}

function summary(c) {
  if (c.redacted) return "Sensitive complaint: details hidden · संवेदनशील शिकायत: विवरण छिपा";
  return (c.text || "").slice(0, 140);
}

function renderItems(items, append) {
  const list = $("worklist");
  if (!append) list.replaceChildren();
  if (!items.length && !append) list.append(el("li", "Nothing here · यहाँ कुछ नहीं"));
  for (const c of items) {
    const item = el("li");
    item.tabIndex = 0;
    item.dataset.id = c.id;
    const head = el("div");
    head.append(el("span", c.priority || "P?", "badge " + (c.priority || "")), " ",
                el("strong", c.category || "uncategorised"), " · ", el("span", c.reference), " · ",
                el("span", c.platform), " · ", el("span", istTime(c.received_at)));
    item.append(head, el("div", summary(c)), slaNode("div", c));
    if (c.claimed_by) item.append(el("div", "Claimed by · लिया: " + c.claimed_by, "hint"));
    item.addEventListener("click", () => openComplaint(c.id));
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") openComplaint(c.id); });
    list.append(item);
  }
}

async function loadWorklist(append) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData($("filters"))) if (value) params.set(key, value);
  if (append && nextCursor) params.set("cursor", nextCursor);
  try {
    const page = await api("GET", "/api/worklist?" + params);
    nextCursor = page.next_cursor;
    $("more").hidden = !nextCursor;
    renderItems(page.items, append);
  } catch (error) { say(error.message, true); }
}

function field(list, name, value) {
  list.append(el("dt", name), el("dd", value === null || value === undefined || value === "" ? "—" : value));
}

function describeEvent(event) {
  const details = event.details || {};
  const parts = [];
  for (const key of ["text", "action_taken", "reason", "lease_until", "district"]) {
    if (details[key]) parts.push(key + ": " + details[key]);
  }
  if (details.after) {
    const shown = (value) => (value === undefined || value === null ? "—" : value);
    parts.push(Object.keys(details.after)
      .map((k) => k + " " + shown((details.before || {})[k]) + " → " + shown(details.after[k])).join(", "));
  }
  return istTime(event.at) + " · " + event.actor + " · " + event.action + (parts.length ? " · " + parts.join(" · ") : "");
}

function renderDetail(c) {
  current = c;
  $("detail").hidden = false;
  $("d-title").textContent = c.reference + " · " + c.platform;
  $("d-status").textContent = STATUS_LABELS[c.status] || c.status;
  $("d-status").dataset.status = c.status;
  const sla = $("d-sla");
  sla.dataset.sla = c.id;
  sla.slaComplaint = c;
  showSla(sla, c);
  const fields = $("d-fields");
  fields.replaceChildren();
  field(fields, "District · ज़िला", c.district);
  field(fields, "Category · श्रेणी", c.category ? c.category + " (" + (c.group || "") + ")" : null);
  field(fields, "Priority · प्राथमिकता", c.priority);
  field(fields, "Received · प्राप्त", istTime(c.received_at));
  field(fields, "From · प्रेषक", c.redacted ? null : [c.author_name, c.author_handle && "@" + c.author_handle]
    .filter(Boolean).join(" "));
  field(fields, "Claimed by · लिया", c.claimed_by);
  field(fields, "Version", c.version);
  $("d-hidden").hidden = !c.redacted;
  $("d-text").textContent = c.redacted ? "" : c.text;
  $("d-cues").replaceChildren(...(c.triage_cues || []).map((cue) => el("li", cue)));
  $("d-audit").replaceChildren(...(c.audit || []).map((event) => {
    const item = el("li", describeEvent(event));
    item.dataset.action = event.action;
    return item;
  }));
  $("hq-actions").hidden = !session || session.officer.role === "district_officer";
}

async function openComplaint(id) {
  try { renderDetail(await api("GET", "/api/complaints/" + encodeURIComponent(id))); say(""); }
  catch (error) { say(error.message, true); }
}

async function act(form, path, body, done) {
  if (!current) return;
  try {
    const complaint = await api(form === "correct" ? "PATCH" : "POST",
                                "/api/complaints/" + encodeURIComponent(current.id) + path,
                                {...body, version: current.version});
    renderDetail(complaint);
    if (form) $(form).reset();
    $("reply-count").textContent = "";
    say(done);
    loadWorklist(false);
  } catch (error) { say(error.message, true); }
}

function formBody(form) {
  const body = {};
  for (const [key, value] of new FormData($(form))) if (value.trim()) body[key] = value.trim();
  return body;
}

function showDesk() {
  $("login").hidden = !!session;
  $("desk").hidden = !session;
  $("who").hidden = !session;
  if (!session) return;
  const officer = session.officer;
  $("who-name").textContent = officer.name + " (" + officer.role + (officer.district ? ", " + officer.district :
                                                                     officer.state ? ", " + officer.state : "") + ")";
  if (!$("district").value) $("district").value = officer.district || (officer.state ? officer.state + "-hq" : "");
  loadWorklist(false);
  loadDistricts();
}

async function loadDistricts() {
  try {
    const {districts} = await api("GET", "/api/districts");
    $("district-list").replaceChildren(...districts.map((d) => {
      const option = el("option");
      option.value = d.id;
      option.label = d.name_en + " · " + d.name_hi;
      return option;
    }));
  } catch (error) { say(error.message, true); }
}

function logout() {
  session = null;
  sessionStorage.removeItem("desk-session");
  current = null;
  $("detail").hidden = true;
  showDesk();
}

function wire() {
  $("login").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const body = formBody("login");
      session = await api("POST", "/auth/login", {officer_id: body.officer_id || "", password: body.password || ""});
      sessionStorage.setItem("desk-session", JSON.stringify(session));
      $("login").reset();
      say("");
      showDesk();
    } catch (error) { say(error.message, true); }
  });
  $("logout").addEventListener("click", logout);
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); loadWorklist(false); });
  $("more").addEventListener("click", () => loadWorklist(true));
  $("claim").addEventListener("click", async () => {
    try {
      const claim = await api("POST", "/api/claims", {district: $("district").value || undefined});
      if (!claim.complaint) { say("Queue is empty · कतार खाली है"); return; }
      renderDetail(claim.complaint);
      say("Claimed until · तक आपके पास: " + istTime(claim.lease_expires_at));
    } catch (error) { say(error.message, true); }
  });
  const reply = $("reply").elements.text;
  reply.addEventListener("input", () => { $("reply-count").textContent = reply.value.length + " characters · अक्षर"; });
  const forms = {reply: ["/replies", "Reply queued · जवाब भेजा गया"], note: ["/notes", "Note added · टिप्पणी जुड़ी"],
                 resolve: ["/resolve", "Resolved · निस्तारित"], reroute: ["/reroute", "Re-routed · पुनः भेजा"],
                 correct: ["", "Corrected · सुधारा"], pause: ["/clock/pause", "Clock paused · घड़ी रुकी"]};
  for (const [form, [path, done]] of Object.entries(forms)) {
    $(form).addEventListener("submit", (event) => { event.preventDefault(); act(form, path, formBody(form), done); });
  }
  $("resume").addEventListener("click", () => act(null, "/clock/resume", {}, "Clock running · घड़ी चालू"));
  setInterval(tickClocks, 1000);
  showDesk();
}

document.addEventListener("DOMContentLoaded", wire);
