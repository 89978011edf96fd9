// html_window.mjs: a page of a window of a run (--cycles FROM:) starts from the machine as the
// whole run's page shows it at the same step: every line's state in every panel, every store
// buffer's entries and every core's pending IPIs (the events before the window, reduced to what
// they leave, set the start). Usage: node html_window.mjs FULL WINDOW [FULL WINDOW...]. Exit 0
// passes, 1 fails.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const pairs = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"],
});

// What the panels show: "panel line level" -> state, "panel sb" and "panel ipis" -> text.
const machine = () => {
  const out = {};
  for (const td of document.querySelectorAll(".panel tr[data-line] td[data-level]"))
    out[`${td.closest(".panel").id} ${td.parentElement.dataset.line} ${td.dataset.level}`] = td.textContent;
  for (const p of document.querySelectorAll(".panel")) {
    out[`${p.id} sb`] = [...p.querySelectorAll(".sb tr")].map((r) => r.textContent).join(" | ");
    out[`${p.id} ipis`] = (p.querySelector(".ipis") || {}).textContent || "";
  }
  return out;
};

let failed = 0;
for (let i = 0; i + 1 < pairs.length; i += 2) {
  const [full, win] = pairs.slice(i, i + 2);
  const pw = await browser.newPage();
  await pw.goto(pathToFileURL(win).href);
  const first = await pw.textContent("#narration");
  const start = await pw.evaluate(machine);
  const pf = await browser.newPage();
  await pf.goto(pathToFileURL(full).href);
  const words = (t) => t.replace(/^cycle +\d+ +/, "");
  const cycle = (t) => Number(/^cycle +(\d+)/.exec(t)[1]);
  const step = await pf.evaluate(([w, c]) => RUN.steps.findIndex(
    (s) => s[0] === c && s[1].replace(/^cycle +\d+ +/, "") === w), [words(first), cycle(first)]);
  if (step < 0) { console.log(`FAIL ${win}: its first step "${first}" is not in ${full}`); failed++; continue; }
  for (let k = 0; k < step; k++) await pf.keyboard.press("ArrowRight");
  const there = await pf.evaluate(machine);
  let differ = 0;
  for (const key of new Set([...Object.keys(start), ...Object.keys(there)])) {
    const a = start[key] || (key.endsWith(" sb") || key.endsWith(" ipis") ? "" : "I");
    const b = there[key] || (key.endsWith(" sb") || key.endsWith(" ipis") ? "" : "I");
    if (a !== b && differ++ < 5) console.log(`FAIL ${win} at "${first}": ${key} is ${a}, the whole run's page shows ${b}`);
  }
  failed += differ ? 1 : 0;
  console.log(`${win}: starts at step ${step + 1} of the whole run's page, ${Object.keys(start).length} things compared`);
  await pw.close();
  await pf.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
