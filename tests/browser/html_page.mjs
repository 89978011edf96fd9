// html_page.mjs: the --html page in a real browser (Debian's chromium, driven by playwright-core).
// Usage: node html_page.mjs OUTDIR NAME PAGE LOG [NAME PAGE LOG...], each PAGE written by cohsim
// --html and LOG by --explain-to from the same run. For each page: it loads with no console error
// and no request beyond its own file; keyboard stepping (arrows, PageUp/PageDown, Home/End) and a
// click on a line of the log move as documented, forwards through every step and back again; at
// every step the narration is the log's line word for word, and every cache line state the log has
// stated up to that line is the state the panels show; on a litmus page, a thread's load or store
// of a location has the instruction naming it highlighted; the step whose line is check mode's
// broken invariant, and every step whose line is a failed check, and no other, is highlighted (the
// narration, the log, and the panel of the core the line tells of outlined), the note at the top
// names the first of each with a button that goes there, and a page with neither has no note; a
// screenshot is saved as OUTDIR/NAME.png. Exit 0 passes, 1 fails.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const [outdir, ...rest] = process.argv.slice(2);
const failures = [];
const fail = (msg) => failures.push(msg);

// What a log line says about states: [{panel, line, level (null: any of the core's), state}].
function statesOf(text) {
  const m = /^cycle +\d+ +(\S+) +(.*)$/.exec(text);
  if (!m) return [];
  const [, who, what] = m;
  const panel = who === "llc" ? "llc" : who;
  let s;
  if ((s = /^(L1I|L1D|L2|LLC) (0x[0-9a-f]+) (\w)->(\w) \(/.exec(what)))
    return [{ panel, line: s[2], level: s[1], state: s[4] }];
  if ((s = /^(L1I|L1D|L2|LLC) (0x[0-9a-f]+) filled in (\w)/.exec(what)))
    return [{ panel, line: s[2], level: s[1], state: s[3] }];
  if ((s = /^(L1I|L1D|L2|LLC) (0x[0-9a-f]+) evicted/.exec(what)))
    return [{ panel, line: s[2], level: s[1], state: "I" }];
  if (who === "bus" && (s = /^Bus\w+ (0x[0-9a-f]+) by cpu\d+: ([^;]*)/.exec(what)))
    return [...s[2].matchAll(/(cpu\d+|LLC) (\w)->(\w)/g)].map((e) => ({
      panel: e[1] === "LLC" ? "llc" : e[1], line: s[1], level: null, state: e[3] }));
  return [];
}

// expected[k]: the state of every (panel, line, level) the log's lines 0..k have stated, as a
// Map "panel line level" -> state. A bus line's snoop effect ("cpu1 E->I") names no level: it
// sets the levels of that line in that panel which hold it (all of them, for I).
function expectations(log) {
  const now = new Map(), out = [];
  for (const text of log) {
    for (const w of statesOf(text)) {
      if (w.level) { now.set(`${w.panel} ${w.line} ${w.level}`, w.state); continue; }
      for (const [key, st] of now)
        if (key.startsWith(`${w.panel} ${w.line} `) && (w.state === "I" || st !== "I")) now.set(key, w.state);
    }
    out.push(new Map(now));
  }
  return out;
}

// What a log line reports, as the page must mark it: "broken", "failed" or "" (an event).
function markOf(text) {
  if (/^cycle +\d+ +\S+ +check mode: an invariant is broken, the machine stops: /.test(text)) return "broken";
  if (/: (FAILS( \(.*\))?|MISMATCH, the run stops)$/.test(text)) return "failed";
  return "";
}

async function check(page, name, log, expected, expectStep) {
  const step = Number(await page.evaluate(() => document.body.dataset.step));
  if (step !== expectStep) return fail(`${name}: at step ${step}, expected ${expectStep}`);
  const text = await page.textContent("#narration");
  if (text !== log[step]) return fail(`${name} step ${step}: narration "${text}", log "${log[step]}"`);
  // the highlight of a failed check or the broken invariant: at its step, and only there
  const shown = await page.evaluate(() => ({
    narration: document.getElementById("narration").className,
    log: document.querySelector("#log .now").className.replace("now", "").trim(),
    culprits: [...document.querySelectorAll(".panel.culprit")].map((p) => p.id),
  }));
  const mark = markOf(text), who = /^cycle +\d+ +(cpu\d+) /.exec(text);
  const culprits = mark && who ? [who[1]] : [];
  if (shown.narration !== mark || shown.log !== mark || shown.culprits.join() !== culprits.join())
    return fail(`${name} step ${step} (${text}): marked "${shown.narration}" in the narration, ` +
                `"${shown.log}" in the log, panels outlined [${shown.culprits}]; expected "${mark}", [${culprits}]`);
  if (mark) marksChecked++;
  // every state the log has stated so far, as the panels show it now (a line not listed: I)
  const cells = await page.evaluate(() => {
    const out = {};
    for (const td of document.querySelectorAll(".panel tr[data-line] td[data-level]"))
      out[`${td.closest(".panel").id} ${td.parentElement.dataset.line} ${td.dataset.level}`] = td.textContent;
    return out;
  });
  for (const [key, state] of expected[step]) {
    statesChecked++;
    if ((cells[key] || "I") !== state)
      return fail(`${name} step ${step} (${text}): the log makes ${key} ${state}, the page shows ${cells[key] || "no line"}`);
  }
  // a litmus thread issues a load or a store of a location: its highlighted instruction names it
  // (a load before any is the run's timing variation, a preload, which no instruction makes)
  const access = /^cycle +\d+ +cpu(\d+) +(load|store) (0x[0-9a-f]+) (?:\(\d+ bytes\)$|=\S+ -> store buffer)/.exec(text);
  const loc = access && locations[name] && locations[name][access[3]];
  if (loc) {
    const now = await page.evaluate((cpu) => {
      const row = document.querySelector(`.code tr.now[id^="code-${cpu}-"]`);
      return row ? row.textContent : "";
    }, access[1]);
    codeChecked += now ? 1 : 0;
    if (!now.includes(`[${loc}]`) && !(now === "" && access[2] === "load"))
      fail(`${name} step ${step} (${text}): cpu${access[1]}'s highlighted instruction is "${now}"`);
  }
  stepsChecked++;
}
let stepsChecked = 0, statesChecked = 0, codeChecked = 0, marksChecked = 0, jumps = 0;
const locations = {}; // per litmus page: address -> location name, from its title

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"],
});
for (let i = 0; i + 2 < rest.length; i += 3) {
  const [name, pagePath, logPath] = rest.slice(i, i + 3);
  const log = readFileSync(logPath, "utf8").split("\n").filter((l) => l.startsWith("cycle "));
  const url = pathToFileURL(pagePath).href;
  const page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
  page.on("console", (m) => m.type() === "error" && fail(`${name}: console error: ${m.text()}`));
  page.on("pageerror", (e) => fail(`${name}: script error: ${e.message}`));
  page.on("request", (r) => r.url() !== url && fail(`${name}: a request for ${r.url()}`));
  await page.goto(url);
  const steps = await page.evaluate(() => RUN.steps.length);
  const title = await page.textContent("h1");
  const named = /locations((?: \w+=0x[0-9a-f]+)+)/.exec(title);
  if (named)
    locations[name] = Object.fromEntries(named[1].trim().split(" ").map((p) => p.split("=").reverse()));
  if (steps !== log.length) fail(`${name}: ${steps} steps, the log has ${log.length} lines`);
  const last = steps - 1, expected = expectations(log);
  const press = async (key, k) => { await page.keyboard.press(key); await check(page, name, log, expected, k); };
  await press("Home", 0);
  for (let k = 1; k <= last; k++) await press("ArrowRight", k); // forwards, one event at a time
  await press("ArrowRight", last);                                // stays at the end
  for (let k = last - 1; k >= 0; k--) await press("ArrowLeft", k); // backwards: every change undone
  await press("ArrowLeft", 0);
  for (let k = 10; k < last + 10; k += 10) await press("PageDown", Math.min(k, last));
  for (let k = last - 10; k > -10; k -= 10) await press("PageUp", Math.max(k, 0));
  await press("End", last);
  await press("Home", 0);
  await press("PageDown", Math.min(10, last));
  await page.click("#log div:first-child"); // the log around the step is a timeline too
  await check(page, name, log, expected, Math.max(0, Math.min(10, last) - 6));
  // the note at the top: the first step of each mark, with a button that goes there; none without
  const notes = await page.evaluate(() => [...document.querySelectorAll("#marks p")].map((p) => p.id));
  const want = [];
  for (const [mark, what] of [["broken", "The invariant broke"], ["failed", "A check failed"]]) {
    const first = log.findIndex((l) => markOf(l) === mark);
    if (first < 0) continue;
    want.push(`mark-${mark}`);
    if (!notes.includes(`mark-${mark}`)) continue; // no note to read: the comparison below fails
    const cycle = /^cycle +(\d+)/.exec(log[first])[1];
    const note = (await page.textContent(`#mark-${mark}`)) || "";
    if (!note.startsWith(`${what} at step ${first + 1}, cycle ${cycle}`))
      fail(`${name}: the note says "${note}", the log's first ${mark} line is step ${first + 1}, cycle ${cycle}`);
    await press("Home", 0);
    await page.click(`#goto-${mark}`);
    await check(page, name, log, expected, first);
    jumps++;
  }
  if (notes.join() !== want.join()) fail(`${name}: notes [${notes}] at the top, expected [${want}]`);
  if (want.length && notes.length) await page.click(`#goto-${notes[0].slice(5)}`); // the screenshot shows the mark
  await page.screenshot({ path: `${outdir}/${name}.png` });
  await page.close();
  console.log(`${name}: ${steps} steps checked forwards and backwards`);
}
await browser.close();
console.log(`${stepsChecked} steps checked: narration equal to the log, ${statesChecked} line states ` +
            `equal to those the log stated, ${codeChecked} litmus accesses with their instruction highlighted, ` +
            `${marksChecked} failed or broken steps highlighted, ${jumps} jumps from the note`);
if (!codeChecked) fail("no litmus access was checked against the highlighted code");
if (!marksChecked || !jumps) fail("no failed or broken step was checked, no note was followed");
for (const f of failures.slice(0, 20)) console.log("FAIL " + f);
process.exit(failures.length ? 1 : 0);
