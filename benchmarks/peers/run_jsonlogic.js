'use strict';
// json-logic-js on qualify's benchmark: the same 27 JsonLogic rules (the conditions of
// benchmarks/peer-pack/eligibility.json) over the same corpus (one application per line).
//
//   node run_jsonlogic.js --modules DIR --pack DIR --corpus FILE.jsonl
//                         [--verdicts OUT.json] [--min-time S=2] [--warmup S=1] [--rounds R=4]
//
// --modules is the folder whose node_modules holds json-logic-js (report.py installs it
// into the build folder). Prints one JSON line per mode on stdout:
//   {"engine":"json-logic-js","version":...,"mode":"core"|"end-to-end","apps_per_s":...,...}
//   core        all rules on application objects parsed beforehand
//   end-to-end  JSON.parse of each application's line, then all rules
// apps_per_s counts wall time, apps_per_cpu_s the process's CPU time (V8's garbage collector
// threads included), which a busy shared machine disturbs less.
// --verdicts writes {"rules": [ids], "verdicts": ["0110...", one string per application]}
// for qualify_bench's correctness check. Timing follows ../shared/peers/bench.js: a warm-up
// of whole passes, then timed whole passes in round-robin slices so both modes share any
// slow spell of the machine.
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const need = (name) => opt(name) ?? fail(`${name} is required`);

const modules = need('--modules');
const jsonLogic = require(require.resolve('json-logic-js', { paths: [modules] }));
const version = JSON.parse(fs.readFileSync(path.join(modules, 'node_modules', 'json-logic-js', 'package.json'), 'utf8')).version;

const rules = JSON.parse(fs.readFileSync(path.join(need('--pack'), 'eligibility.json'), 'utf8')).rules;
const ids = rules.map((r) => r.id);
const logics = rules.map((r) => r.condition);
const texts = fs.readFileSync(need('--corpus'), 'utf8').split('\n').filter((l) => l.length > 0);
const apps = texts.map((t) => JSON.parse(t));
const MIN_TIME_S = Number(opt('--min-time', '2'));
const WARMUP_S = Number(opt('--warmup', '1'));
const ROUNDS = Number(opt('--rounds', '4'));

// The number of rules an application passes; every verdict lands in `sink`.
function passes(app) {
  let passed = 0;
  for (let j = 0; j < logics.length; j++) if (jsonLogic.truthy(jsonLogic.apply(logics[j], app))) passed++;
  return passed;
}

let sink = 0;
function pass(parse) {
  const n = apps.length;
  if (parse) for (let i = 0; i < n; i++) sink += passes(JSON.parse(texts[i]));
  else for (let i = 0; i < n; i++) sink += passes(apps[i]);
  return n;
}

function slice(c, seconds) {
  const minNs = BigInt(Math.round(seconds * 1e9));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let elapsed;
  do {
    c.count += pass(c.parse);
    elapsed = process.hrtime.bigint() - t0;
  } while (elapsed < minNs);
  const cpu = process.cpuUsage(cpu0);
  c.ns += Number(elapsed);
  c.cpuUs += cpu.user + cpu.system;
}

if (opt('--verdicts')) {
  const verdicts = apps.map((app) => logics.map((l) => (jsonLogic.truthy(jsonLogic.apply(l, app)) ? '1' : '0')).join(''));
  fs.writeFileSync(opt('--verdicts'), JSON.stringify({ engine: 'json-logic-js', version, rules: ids, verdicts }) + '\n');
}

const cases = [false, true].map((parse) => ({ parse, count: 0, ns: 0, cpuUs: 0 }));
for (const c of cases) {
  const end = process.hrtime.bigint() + BigInt(Math.round(WARMUP_S * 1e9));
  do pass(c.parse); while (process.hrtime.bigint() < end);
}
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < cases.length; k++) slice(cases[(k + round) % cases.length], MIN_TIME_S / ROUNDS);
}
for (const c of cases) {
  const seconds = c.ns / 1e9;
  const cpuSeconds = c.cpuUs / 1e6;
  console.log(JSON.stringify({
    engine: 'json-logic-js', version, node: process.version, mode: c.parse ? 'end-to-end' : 'core',
    apps_per_s: c.count / seconds, apps_per_cpu_s: c.count / cpuSeconds, ns_per_rule: c.ns / (c.count * ids.length),
    rules: ids.length, apps: c.count, seconds, cpu_seconds: cpuSeconds,
  }));
}
process.stderr.write(`json-logic-js ${version}: ${apps.length} applications, ${ids.length} rules; sink ${sink}\n`);

function fail(msg) { process.stderr.write(`run_jsonlogic.js: ${msg}\n`); process.exit(1); }
