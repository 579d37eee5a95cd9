// Opens an HTML report in headless Chromium (DevTools protocol) at 1280x800 and checks what a person sees first.
// node --experimental-websocket html_in_chromium.mjs REPORT.html --cases a,b,c --message TEXT
//      [--screenshot OUT.png] [--pgid-file FILE]
// Exit 0 when every check holds, 1 otherwise (each failed check is printed). Chromium runs in a
// process group of its own, killed on every way out; its group id goes to --pgid-file so the
// calling script can kill it even if this one dies.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const report = resolve(args[0]);
const cases = (option("--cases") ?? "").split(",").filter(Boolean);
const message = option("--message") ?? "";
const screenshot = option("--screenshot");
const pgidFile = option("--pgid-file");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const profile = mkdtempSync(join(tmpdir(), "sockdrill-chromium-"));
let chromium;
function stopChromium() {
  if (chromium && chromium.exitCode === null && chromium.signalCode === null) {
    try {
      process.kill(-chromium.pid, "SIGKILL");
    } catch {}
  }
  try {
    rmSync(profile, { recursive: true, force: true });
  } catch {}
}
process.on("exit", stopChromium);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(sig, () => {
    stopChromium();
    process.exit(1);
  });
const deadline = setTimeout(() => {
  console.error("no answer from Chromium within 60 s");
  process.exit(1);
}, 60000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function browserEndpoint() {
  const portFile = join(profile, "DevToolsActivePort");
  for (let i = 0; i < 300; ++i) {
    if (existsSync(portFile)) {
      const [port, path] = readFileSync(portFile, "utf8").split("\n");
      if (port && path) return `ws://127.0.0.1:${port}${path}`;
    }
    if (chromium.exitCode !== null) throw new Error(`chromium exited with ${chromium.exitCode}`);
    await sleep(100);
  }
  throw new Error("Chromium did not write DevToolsActivePort");
}

// One DevTools connection: commands by id, events to listeners.
function connect(url) {
  const ws = new WebSocket(url);
  let next = 0;
  const pending = new Map();
  const listeners = [];
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id !== undefined && pending.has(msg.id)) {
      const { ok, fail } = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? fail(new Error(JSON.stringify(msg.error))) : ok(msg.result);
    } else {
      for (const l of listeners) l(msg);
    }
  };
  const send = (method, params = {}, sessionId) =>
    new Promise((ok, fail) => {
      const id = ++next;
      pending.set(id, { ok, fail });
      ws.send(JSON.stringify({ id, method, params, sessionId }));
    });
  const opened = new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = () => fail(new Error("could not connect to " + url));
  });
  return { opened, send, listeners, close: () => ws.close() };
}

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

async function main() {
  chromium = spawn(
    chromiumPath,
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--hide-scrollbars", "--remote-debugging-port=0", `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { detached: true, stdio: ["ignore", "ignore", "ignore"] }
  );
  if (pgidFile) writeFileSync(pgidFile, `${chromium.pid}\n`);
  const cdp = connect(await browserEndpoint());
  await cdp.opened;
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const send = (method, params) => cdp.send(method, params, sessionId);

  const errors = [];
  let loaded;
  const load = new Promise((ok) => (loaded = ok));
  cdp.listeners.push((msg) => {
    if (msg.sessionId !== sessionId) return;
    if (msg.method === "Runtime.exceptionThrown")
      errors.push("exception: " + JSON.stringify(msg.params.exceptionDetails));
    if (msg.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(msg.params.type))
      errors.push("console." + msg.params.type + ": " + JSON.stringify(msg.params.args));
    if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error")
      errors.push("log: " + msg.params.entry.text);
    if (msg.method === "Page.loadEventFired") loaded();
  });
  await send("Emulation.setDeviceMetricsOverride", {
    width: 1280, height: 800, deviceScaleFactor: 1, mobile: false,
  });
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Page.enable");
  await send("Page.navigate", { url: pathToFileURL(report).href });
  await load;
  await sleep(300);  // late errors and layout

  const probe = `(() => {
    const vw = innerWidth, vh = innerHeight;
    const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
      return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height }; };
    const section = document.querySelector("section.case.fail");
    const messages = section ? [...section.querySelectorAll(".why pre.message")] : [];
    return JSON.stringify({
      vw, vh, scrollY,
      names: [...document.querySelectorAll("#summary tbody tr td:first-child")].map((td) => td.textContent),
      firstSection: document.querySelector("section.case")?.className,
      message: messages.map((m) => m.textContent).join("\\n"),
      messageBox: box(messages[0]),
      whereBox: box(section?.querySelector(".why .where")),
      plotBox: box(section?.querySelector("svg.chart rect.plot")),
      windowBox: box(section?.querySelector("svg.chart rect.window.fail")),
      seriesCount: section ? section.querySelectorAll("svg.chart path.series").length : 0,
    });
  })()`;
  const { result } = await send("Runtime.evaluate", { expression: probe, returnByValue: true });
  const seen = JSON.parse(result.value);
  const inView = (b) =>
    b && b.width > 0 && b.height > 0 && b.top >= 0 && b.left >= 0 && b.bottom <= seen.vh && b.right <= seen.vw;

  check(errors.length === 0, "script errors: " + errors.join("; "));
  check(seen.vw === 1280 && seen.vh === 800, `viewport ${seen.vw}x${seen.vh}, expected 1280x800`);
  for (const name of cases) check(seen.names.includes(name), `the summary lacks case "${name}"`);
  check(seen.names.length === cases.length, `the summary lists ${seen.names.length} cases, expected ${cases.length}`);
  check(seen.firstSection === "case fail", `the first case shown is "${seen.firstSection}", expected the failing one`);
  check(seen.message.includes(message), `the failing case shows "${seen.message}", expected it to hold "${message}"`);
  check(inView(seen.messageBox), "the failing expectation's message is not on the first screen: " + JSON.stringify(seen.messageBox));
  check(inView(seen.whereBox), "where it failed (file:line:col) is not on the first screen: " + JSON.stringify(seen.whereBox));
  check(inView(seen.plotBox), "the state-count chart is not on the first screen: " + JSON.stringify(seen.plotBox));
  check(inView(seen.windowBox), "the failing window is not on the first screen: " + JSON.stringify(seen.windowBox));
  check(seen.seriesCount > 0, "the failing case's chart has no state-count line");

  if (screenshot) {
    const shot = await send("Page.captureScreenshot", { format: "png" });
    writeFileSync(screenshot, Buffer.from(shot.data, "base64"));
  }
  cdp.close();
  console.log(JSON.stringify(seen));
}

main()
  .catch((e) => failures.push(String(e.stack ?? e)))
  .finally(() => {
    clearTimeout(deadline);
    stopChromium();
    for (const f of failures) console.error("FAILED: " + f);
    process.exit(failures.length ? 1 : 0);
  });
