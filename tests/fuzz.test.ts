// The short pass of `npm run fuzz` (tools/fuzz.ts) in the normal test run: 2,000 seeded inputs into
// each parser that takes untrusted bytes. Each input is accepted or refused with the parser's typed
// error; anything else (an untyped exception, an HTTP answer that depends on how the bytes were
// split, an exception caught inside a connection callback) fails. Both outcomes must occur, so the
// generators reach past the first check of every parser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReports, runFuzz } from "../tools/fuzz.js";

test("fuzz, short pass: 2,000 inputs per parser, nothing but accepted or refused with a typed error", { timeout: 300_000 }, async () => {
  const reports = await runFuzz({ inputs: 2_000, seed: 2026 });
  const table = formatReports(reports);
  assert.equal(reports.length, 8, table);
  for (const r of reports) {
    assert.equal(r.inputs, 2_000, table);
    assert.equal(r.other, 0, table);
    assert.equal(r.accepted + r.refused, r.inputs, table);
    assert.ok(r.accepted > 20 && r.refused > 20, `${r.parser}: both outcomes\n${table}`);
  }
});
