// Reads a sockdrill trace with Chrome DevTools' trace engine (the Performance panel's parser, as
// published for Node) and checks it against the run's JSON reports: every case's processes,
// expectation windows, timeline notes and events as DevTools models them, and every connection
// of the reports as an async span of its cookie, states nested, as DevTools pairs them.
// Usage: node read_trace.mjs TRACE REPORT_DIR. Exit 0 when all is found, 1 (saying what) if not.
import fs from 'node:fs';
import path from 'node:path';

import {polyfillDOMRect} from '@paulirish/trace_engine/analyze-trace.mjs';
import * as Trace from '@paulirish/trace_engine';

const [tracePath, reportDir] = process.argv.slice(2);
const problems = [];
const expect = (ok, what) => { if (!ok) problems.push(what); };

polyfillDOMRect();
const trace = JSON.parse(fs.readFileSync(tracePath, 'utf8'));
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(trace.traceEvents);
const {Meta, Renderer} = model.parsedTrace().data;
expect(Meta.traceIsGeneric, 'DevTools did not read it as a generic (non-browser) trace');

const processName = pid => Meta.processNames.get(pid)?.args.name;
const pidNamed = name => [...Meta.processNames.keys()].find(pid => processName(pid) === name);
const threadsOf = pid => [...(Renderer.processes.get(pid)?.threads.values() ?? [])];
const entriesOn = (pid, threadName) =>
  threadsOf(pid).filter(t => t.name === threadName).flatMap(t => t.entries);

// DevTools pairs async begin and end events ("b"/"e") by category, id and name.
const asyncEvents = trace.traceEvents.filter(e => e.ph === 'b' || e.ph === 'e')
                        .sort((a, b) => a.ts - b.ts);
const spans = Trace.Helpers.Trace.createMatchedSortedSyntheticEvents(asyncEvents);
const spansById = new Map();
for (const s of spans) {
  const id = s.args.data.beginEvent.id;
  if (!spansById.has(id)) spansById.set(id, []);
  spansById.get(id).push(s);
}

// Times in the trace are the reports' t_ms moved by the trace's lead (events before t = 0).
const lead = trace.metadata.lead_ms;
const micros = t_ms => (t_ms + lead) * 1000;

const summary = JSON.parse(fs.readFileSync(path.join(reportDir, 'summary.json'), 'utf8'));
let found = {cases: 0, windows: 0, notes: 0, events: 0, connections: 0, states: 0, counters: 0};
for (const entry of summary.cases) {
  const c = JSON.parse(fs.readFileSync(path.join(reportDir, entry.report), 'utf8'));
  const casePid = pidNamed(`case ${c.name}: ${c.verdict}`);
  expect(casePid !== undefined, `no process "case ${c.name}: ${c.verdict}"`);
  found.cases++;
  for (const x of c.expectations) {
    const track = `expect #${x.index} ${x.result}`;
    const windows = entriesOn(casePid, track).filter(e => e.ph === 'X');
    expect(windows.length === 1, `${c.name}: track "${track}" has ${windows.length} windows, not 1`);
    found.windows += windows.length;
  }
  const notes = entriesOn(casePid, 'timeline');
  for (const n of c.timeline) {
    const seen = notes.some(e => e.name === `${n.kind}: ${n.text}` && e.ts === micros(n.t_ms));
    expect(seen, `${c.name}: no timeline instant "${n.kind}: ${n.text}" at ${n.t_ms} ms`);
    found.notes += seen;
  }
  for (const e of c.events) {
    const pid = pidNamed(`${e.peer} [${c.name}]`);
    const seen = entriesOn(pid, 'events').some(i => i.ts === micros(e.t_ms) && i.name.startsWith(e.kind));
    expect(seen, `${c.name}: no instant for ${e.peer}'s ${e.kind} at ${e.t_ms} ms`);
    found.events += seen;
  }
  for (const s of c.sockets ?? []) {
    const id = '0x' + BigInt(s.cookie).toString(16);
    const mine = spansById.get(id) ?? [];
    const outer = mine.find(m => m.name === `${s.local} -> ${s.remote}`);
    expect(outer, `${c.name}: no span for connection ${id} (${s.local} -> ${s.remote})`);
    if (!outer) continue;
    found.connections++;
    for (const [t, state] of s.states) {
      const slice = mine.find(m => m.name === state && m.ts === micros(t));
      const inside = slice && slice.ts >= outer.ts && slice.ts + slice.dur <= outer.ts + outer.dur;
      expect(inside, `${c.name}: connection ${id} has no ${state} slice from ${t} ms inside its span`);
      found.states += Boolean(inside);
    }
  }
  // DevTools has no model of a generic trace's counters: they are read here as written.
  for (const sample of c.samples) {
    for (const [peer, counts] of Object.entries(sample.sockets)) {
      const pid = pidNamed(`${peer} [${c.name}]`);
      const counter = trace.traceEvents.find(
          e => e.ph === 'C' && e.pid === pid && e.ts === micros(sample.t_ms));
      const same = counter && Object.entries(counts).every(([st, n]) => counter.args[st] === n);
      expect(same, `${c.name}: no counter of ${peer}'s sockets ${JSON.stringify(counts)} at ${sample.t_ms} ms`);
      found.counters += Boolean(same);
    }
  }
}
expect(found.connections > 0, 'no connection spans at all');
console.log(`DevTools trace engine read ${trace.traceEvents.length} events: ` + JSON.stringify(found));
for (const p of problems.slice(0, 30)) console.log('MISSING ' + p);
process.exit(problems.length ? 1 : 0);
