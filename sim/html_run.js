// html_run.js: the step-through page's script (inlined by html_run.c after const RUN). Step k
// shows the machine after the changes of steps 0..k; going back undoes them in reverse order.
// Change kinds: ["s", cpu, level, line, old, new] a cache line's state (cpu -1: the LLC);
// ["p", cpu, addr, value, cycle] a store enters the buffer; ["d", cpu] the oldest leaves;
// ["b", requester, supplier, kind, line] a bus transaction (supplier -1: the LLC or memory);
// ["i", target, sender, phase] an IPI: 1 sent, 2 its handler runs, 0 handled; ["c", cpu, row] the
// core fetched an instruction of row `row` of the code shown (element code-CPU-ROW).
// A step whose line reports a failed check or the broken invariant has two more fields, its mark
// ("failed" or "broken", as html_run.c has it from explain.c) and the core it tells of (-1: none):
// it is highlighted, the note at the top jumps to the first of each kind, and at that step the
// core's panel is outlined.

const state = {
  lines: new Map(),  // "cpu line" -> Map(level -> state)
  sb: [],            // per core: [{addr, value, cycle}], oldest first
  ipis: [],          // per core: [{from, phase}]
  counts: RUN.start.slice(), // the counts before the window's first step (--cycles)
  code: [],          // per core: the row of the code it last fetched from (-1: none)
};
for (let c = 0; c < RUN.cores; c++) { state.sb.push([]); state.ipis.push([]); state.code.push(-1); }
const undo = [];     // undo[k]: what reverses step k, while step k is applied
let applied = -1;    // the last step applied

function levels(cpu, line) {
  const key = cpu + " " + line;
  if (!state.lines.has(key)) state.lines.set(key, new Map());
  return state.lines.get(key);
}

// Apply one change, returning the function that reverses it.
function apply(ch) {
  const [kind, a, b, c, d, e] = ch;
  if (kind === "s") {
    const lv = levels(a, c), before = lv.get(b);
    lv.set(b, e);
    return () => (before === undefined ? lv.delete(b) : lv.set(b, before));
  }
  if (kind === "p") {
    state.sb[a].push({ addr: b, value: c, cycle: d });
    return () => state.sb[a].pop();
  }
  if (kind === "d") {
    const entry = state.sb[a].shift();
    return () => entry && state.sb[a].unshift(entry);
  }
  if (kind === "i") {
    const list = state.ipis[a], i = list.findIndex((p) => p.from === b);
    const before = i >= 0 ? { ...list[i] } : null;
    if (c === 1) list.push({ from: b, phase: 1 });
    else if (c === 2 && i >= 0) list[i].phase = 2;
    else if (c === 0 && i >= 0) list.splice(i, 1);
    return () => {
      if (c === 1) list.pop();
      else if (c === 2 && i >= 0) list[i].phase = before.phase;
      else if (c === 0 && i >= 0) list.splice(i, 0, before);
    };
  }
  if (kind === "c") {
    const before = state.code[a];
    state.code[a] = b;
    return () => (state.code[a] = before);
  }
  return () => {};
}

function forward() {
  const step = RUN.steps[++applied];
  const back = step[2].map(apply);
  for (const [i, n] of step[3]) state.counts[i] += n;
  undo[applied] = () => {
    for (const [i, n] of step[3]) state.counts[i] -= n;
    for (let j = back.length - 1; j >= 0; j--) back[j]();
  };
}

function backward() {
  undo[applied]();
  applied--;
}

function goTo(k) {
  k = Math.max(0, Math.min(RUN.steps.length - 1, k));
  while (applied < k) forward();
  while (applied > k) backward();
  render();
}

// ---- drawing ----------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// The levels each panel shows, in the order the run first used them.
const levelOrder = { core: [], llc: [] };
for (const step of RUN.steps)
  for (const ch of step[2])
    if (ch[0] === "s") {
      const list = ch[1] < 0 ? levelOrder.llc : levelOrder.core;
      if (!list.includes(ch[2])) list.push(ch[2]);
    }
const rank = { L1I: 0, L1D: 1, L2: 2, LLC: 3 };
levelOrder.core.sort((p, q) => rank[p] - rank[q]);

// The lines a panel lists: the watched ones, else those held (or changed in this step).
function panelLines(cpu, changedNow) {
  const held = [];
  for (const [key, lv] of state.lines) {
    const [c, line] = key.split(" ");
    if (Number(c) !== cpu) continue;
    const valid = [...lv.values()].some((s) => s !== "I");
    if (RUN.watch.length ? RUN.watch.includes(line) : valid || changedNow.has(key)) held.push(line);
  }
  for (const line of RUN.watch) if (!held.includes(line)) held.push(line);
  return held.sort((p, q) => (BigInt(p) < BigInt(q) ? -1 : 1));
}

function linesTable(cpu, lvls, changedNow) {
  const lines = panelLines(cpu, changedNow);
  if (!lines.length) return el("div", { class: "none" }, "no line held");
  const t = el("table");
  const head = el("tr");
  head.append(el("th", {}, "line"), ...lvls.map((l) => el("th", {}, l)));
  t.append(head);
  for (const line of lines.slice(0, 24)) {
    const tr = el("tr", { "data-line": line });
    tr.append(el("th", { class: "mono" }, line));
    const lv = state.lines.get(cpu + " " + line) || new Map();
    for (const l of lvls) {
      const s = lv.get(l) || "I";
      const changed = changedNow.has(cpu + " " + line + " " + l);
      tr.append(el("td", { "data-level": l, class: "st-" + s + (changed ? " changed" : "") }, s));
    }
    t.append(tr);
  }
  if (lines.length > 24) t.append(el("tr", {}, "+" + (lines.length - 24) + " more lines"));
  return t;
}

function corePanel(cpu, cycle, changedNow, active, culprit) {
  const p = el("div", { class: "panel" + (active ? " active" : "") + (culprit ? " culprit" : ""),
                        id: "cpu" + cpu });
  p.append(el("h3", {}, "cpu" + cpu));
  p.append(linesTable(cpu, levelOrder.core, changedNow));
  const sb = state.sb[cpu];
  p.append(el("div", { class: "sbhead" }, "store buffer " + sb.length + "/" + RUN.sb));
  if (sb.length) {
    const t = el("table", { class: "sb" });
    t.append(el("tr"));
    t.lastChild.append(el("th", {}, "address"), el("th", {}, "value"), el("th", {}, "age"));
    for (const e of sb) {
      const tr = el("tr");
      tr.append(el("td", { class: "mono" }, e.addr), el("td", {}, e.value),
                el("td", {}, cycle - e.cycle + " cycles"));
      t.append(tr);
    }
    p.append(t);
  }
  const ipis = state.ipis[cpu];
  p.append(el("div", { class: "ipis" }, ipis.length
    ? "IPIs pending: " + ipis.map((i) => "from cpu" + i.from + (i.phase === 2 ? " (handler runs)" : "")).join(", ")
    : "no IPI pending"));
  return p;
}

// The bus: one box per core and one for the LLC or memory; the step's transaction as an arrow
// from its requester to its supplier (to the LLC or memory when no cache supplies the data).
function drawBus(tx, now) {
  const svg = $("bus"), w = svg.clientWidth || 800, boxes = RUN.cores + 1;
  const ns = "http://www.w3.org/2000/svg";
  const x = (i) => ((i < 0 ? RUN.cores : i) + 0.5) * (w / boxes);
  svg.replaceChildren();
  svg.innerHTML = '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" ' +
    'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#c00"/></marker></defs>';
  const line = document.createElementNS(ns, "line");
  Object.entries({ x1: 0, x2: w, y1: 48, y2: 48, stroke: "#888", "stroke-width": 6 })
    .forEach(([k, v]) => line.setAttribute(k, v));
  svg.append(line);
  for (let i = -1; i < RUN.cores; i++) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", x(i)); t.setAttribute("y", 66); t.setAttribute("text-anchor", "middle");
    t.textContent = i < 0 ? "LLC / memory" : "cpu" + i;
    svg.append(t);
  }
  if (!tx) return;
  const [, req, sup, kind, addr] = tx;
  const arrow = document.createElementNS(ns, "path");
  const x1 = x(req), x2 = x(sup), mid = (x1 + x2) / 2;
  arrow.setAttribute("d", `M${x1},44 Q${mid},0 ${x2 + (x2 > x1 ? -4 : 4)},40`);
  Object.entries({ fill: "none", stroke: now ? "#c00" : "#d9a0a0", "stroke-width": 3,
                   "marker-end": "url(#head)", id: "arrow" })
    .forEach(([k, v]) => arrow.setAttribute(k, v));
  svg.append(arrow);
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", mid); label.setAttribute("y", 14); label.setAttribute("text-anchor", "middle");
  label.textContent = (now ? "" : "last: ") + kind + " " + addr + ": cpu" + req + " \u2192 " +
    (sup < 0 ? "LLC / memory" : "cpu" + sup);
  svg.append(label);
}

// The step whose bus transaction is the latest at or before step k (-1: none).
const lastBus = [];
RUN.steps.forEach((s, k) => {
  const has = s[2].some((c) => c[0] === "b");
  lastBus.push(has ? k : k ? lastBus[k - 1] : -1);
});

function render() {
  const k = applied, step = RUN.steps[k];
  const [cycle, text, changes, , mark, markCpu] = step;
  document.body.dataset.step = k;
  $("slider").value = k;
  $("where").textContent = `step ${k + 1} of ${RUN.steps.length}, cycle ${cycle}`;
  $("narration").textContent = text;
  $("narration").className = mark || "";
  const changedNow = new Set();
  for (const c of changes)
    if (c[0] === "s") { changedNow.add(c[1] + " " + c[3]); changedNow.add(c[1] + " " + c[3] + " " + c[2]); }
  const who = /^cycle +\d+ +cpu(\d+)/.exec(text);
  const machine = $("machine");
  machine.replaceChildren();
  for (let c = 0; c < RUN.cores; c++)
    machine.append(corePanel(c, cycle, changedNow, who && Number(who[1]) === c, mark && markCpu === c));
  if (levelOrder.llc.length) {
    const p = el("div", { class: "panel", id: "llc" });
    p.append(el("h3", {}, "LLC (shared)"), linesTable(-1, levelOrder.llc, changedNow));
    machine.append(p);
  }
  const b = lastBus[k];
  drawBus(b >= 0 ? RUN.steps[b][2].find((c) => c[0] === "b") : null, b === k);
  const log = $("log");
  log.replaceChildren();
  for (let i = Math.max(0, k - 6); i < Math.min(RUN.steps.length, k + 7); i++) {
    const cls = [i === k ? "now" : "", RUN.steps[i][4] || ""].join(" ").trim();
    const line = el("div", cls ? { class: cls } : {}, RUN.steps[i][1]);
    line.onclick = () => goTo(i); // the log is a timeline too: a click goes to that step
    log.append(line);
  }
  const counts = $("counts");
  counts.replaceChildren();
  RUN.counts.forEach((label, i) => {
    const tr = el("tr");
    tr.append(el("td", {}, label), el("td", { "data-count": i }, String(state.counts[i])));
    counts.append(tr);
  });
  for (const e of document.querySelectorAll(".code .now")) e.classList.remove("now");
  state.code.forEach((row, cpu) => {
    const e = row >= 0 && document.getElementById(`code-${cpu}-${row}`);
    if (e) e.classList.add("now");
  });
}

$("cut").textContent = RUN.cut;

// The note at the top: where the invariant broke, and where the first check failed.
for (const [mark, what] of [["broken", "the invariant broke"], ["failed", "a check failed"]]) {
  const at = RUN.steps.flatMap((s, k) => (s[4] === mark ? [k] : []));
  if (!at.length) continue;
  const [first] = at, [cycle, , , , , cpu] = RUN.steps[first];
  const p = el("p", { id: "mark-" + mark },
    `${what.charAt(0).toUpperCase() + what.slice(1)} at step ${first + 1}, cycle ${cycle}` +
    (cpu >= 0 ? `, by an event of cpu${cpu}` : "") +
    (at.length > 1 ? ` (and at ${at.length - 1} more step${at.length > 2 ? "s" : ""})` : "") + " ");
  const go = el("button", { id: "goto-" + mark }, `go to step ${first + 1}`);
  go.onclick = () => goTo(first);
  p.append(go);
  $("marks").append(p);
}
if (!RUN.steps.length) {
  $("narration").textContent = "the run has no event to show";
} else {
  $("slider").max = RUN.steps.length - 1;
  $("slider").addEventListener("input", (e) => goTo(Number(e.target.value)));
  $("home").onclick = () => goTo(0);
  $("back").onclick = () => goTo(applied - 1);
  $("fwd").onclick = () => goTo(applied + 1);
  $("end").onclick = () => goTo(RUN.steps.length - 1);
  document.addEventListener("keydown", (e) => {
    const moves = { ArrowRight: 1, ArrowLeft: -1, PageDown: 10, PageUp: -10 };
    if (e.key in moves) goTo(applied + moves[e.key]);
    else if (e.key === "Home") goTo(0);
    else if (e.key === "End") goTo(RUN.steps.length - 1);
    else return;
    e.preventDefault();
  });
  goTo(0);
}
