/** The report's stylesheet, inlined so that the file works offline. */
export const STYLE = `
:root { --fg: #1f2328; --muted: #656d76; --bg: #fff; --panel: #f6f8fa; --line: #d0d7de; --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --block: #bc4c00;
  --pass-bg: #dafbe1; --fail-bg: #ffebe9; --skip-bg: #fff8c5; --block-bg: #fff1e5; --accent: #0969da; --code: #eff1f3; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22; --line: #30363d; --pass: #3fb950; --fail: #f85149; --skip: #d29922; --block: #db6d28;
    --pass-bg: #12261e; --fail-bg: #2d1517; --skip-bg: #272115; --block-bg: #2b1a10; --accent: #4493f8; --code: #1c2128; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 0 20px 40px; }
header.top { padding: 20px 0 12px; border-bottom: 1px solid var(--line); margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 24px 0 10px; }
h3 { font-size: 14px; margin: 0 0 8px; }
h4 { font-size: 13px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h5 { font-size: 12px; margin: 8px 0 4px; color: var(--muted); }
code, pre, .sid { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 4px 0; overflow-x: auto; white-space: pre-wrap; word-break: break-word; max-height: 480px; overflow-y: auto; }
a { color: var(--accent); }
.muted { color: var(--muted); font-weight: normal; }
.target { color: var(--muted); margin: 0; }
.notice { margin: 8px 0 0; padding: 6px 10px; border: 1px solid var(--skip); border-radius: 6px; background: var(--skip-bg); }
.totals { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 10px; }
.pill { border-radius: 999px; padding: 2px 12px; font-weight: 600; border: 1px solid var(--line); }
.pill.pass { color: var(--pass); background: var(--pass-bg); } .pill.fail { color: var(--fail); background: var(--fail-bg); }
.pill.skip { color: var(--skip); background: var(--skip-bg); } .pill.block { color: var(--block); background: var(--block-bg); } .pill.all { background: var(--panel); }
/* Wide enough for the longest area name (updateUserAttributes), four counts and the bar, which a narrower card clipped. */
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr)); gap: 12px; align-items: start; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--panel); overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); }
th { font-size: 11px; color: var(--muted); font-weight: 600; }
tr:last-child td { border-bottom: none; }
.num { text-align: right; width: 1%; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.pass { color: var(--pass); } td.fail { color: var(--fail); font-weight: 600; } td.skip { color: var(--skip); } td.block { color: var(--block); }
.card td:first-child { white-space: nowrap; }
.barcell { width: 25%; min-width: 60px; }
.bar { width: 100%; height: 10px; display: block; border-radius: 3px; background: var(--line); }
.bar .pass { fill: var(--pass); } .bar .fail { fill: var(--fail); } .bar .skip { fill: var(--skip); } .bar .block { fill: var(--block); }
button.area { font: inherit; background: none; border: none; padding: 0; color: var(--fg); cursor: pointer; text-align: left; }
button.area:hover { color: var(--accent); text-decoration: underline; }
button.area[aria-pressed="true"] { color: var(--accent); font-weight: 700; }
tr.row-failed button.area::before { content: "✗ "; color: var(--fail); }
tr.row-passed button.area::before { content: "✓ "; color: var(--pass); }
tr.row-skipped button.area::before { content: "– "; color: var(--skip); }
tr.row-blocked button.area::before { content: "~ "; color: var(--block); }
.controls { position: sticky; top: 0; z-index: 2; background: var(--bg); display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding: 8px 0; border-bottom: 1px solid var(--line); margin-bottom: 8px; }
.controls input[type="search"] { flex: 1; min-width: 200px; }
.controls input, .controls select, .controls button { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.controls label { white-space: nowrap; }
.chip { background: var(--panel); border: 1px solid var(--line); border-radius: 999px; padding: 1px 4px 1px 10px; }
.chip button { border: none; background: none; cursor: pointer; }
/* Below the sticky controls, whose height the script keeps in --controls-height (they wrap on a narrow window). */
details.scenario, details.exchange { scroll-margin-top: calc(var(--controls-height, 80px) + 8px); }
details.scenario { border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px; margin: 6px 0; background: var(--bg); }
details.scenario.st-passed { border-left-color: var(--pass); } details.scenario.st-failed, details.scenario.st-error { border-left-color: var(--fail); }
details.scenario.st-skipped { border-left-color: var(--skip); } details.scenario.st-blocked { border-left-color: var(--block); }
summary { list-style: none; }
summary::-webkit-details-marker { display: none; }
details > summary::before { content: "▸"; display: inline-block; width: 1em; color: var(--muted); }
details[open] > summary::before { content: "▾"; }
details.scenario > summary { cursor: pointer; padding: 6px 10px; }
details.scenario[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); }
.scenario-body { padding: 4px 14px 12px; }
summary .why { display: block; margin-left: 2em; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
details.scenario[open] > summary .why { display: none; }
.st-passed > summary .mark, .check.passed .mark, .step.st-passed > .step-head .mark { color: var(--pass); }
.st-failed > summary .mark, .st-error > summary .mark, .check.failed .mark, .step.st-failed > .step-head .mark, .step.st-error > .step-head .mark { color: var(--fail); }
.st-skipped > summary .mark, .step.st-skipped > .step-head .mark { color: var(--skip); }
.st-blocked > summary .mark, .step.st-blocked > .step-head .mark { color: var(--block); }
.mark { font-weight: 700; display: inline-block; width: 1em; }
.sid { font-weight: 600; }
.permalink { text-decoration: none; color: var(--muted); margin-left: 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-word; }
ol.steps, ul.checks, ul.outcomes { padding-left: 0; list-style: none; margin: 0; }
.outcome { margin: 6px 0; }
.step { margin: 6px 0; }
.step-head { font-weight: 600; }
ul.checks { margin-left: 18px; }
.check { margin: 3px 0; }
.check details > summary { cursor: pointer; }
.check.failed { background: var(--fail-bg); border-radius: 6px; padding: 4px 8px; }
.check.failed.consequence { background: none; opacity: .7; }
.tag-consequence { font-size: 11px; border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; color: var(--muted); }
ul.causes { list-style: none; padding-left: 0; margin: 0; }
li.cause { border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
li.cause.ef-failed, li.cause.ef-error { border-left-color: var(--fail); } li.cause.ef-blocked { border-left-color: var(--block); } li.cause.ef-skipped { border-left-color: var(--skip); }
li.cause.ef-failed .mark, li.cause.ef-error .mark { color: var(--fail); } li.cause.ef-blocked .mark { color: var(--block); } li.cause.ef-skipped .mark { color: var(--skip); }
button.cause { font: inherit; background: none; border: none; padding: 0; color: var(--accent); cursor: pointer; text-decoration: underline; }
button.cause[aria-pressed="true"] { font-weight: 700; }
.cause-box { border-radius: 6px; padding: 6px 10px; margin: 8px 0; background: var(--panel); border: 1px solid var(--line); }
.cause-box.st-failed, .cause-box.st-error { background: var(--fail-bg); } .cause-box.st-blocked { background: var(--block-bg); }
pre.answer { margin: 4px 0 0; }
.ref { font-size: 11px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; white-space: nowrap; }
.error { color: var(--fail); white-space: pre-wrap; }
.note { color: var(--skip); font-size: 12px; margin: 2px 0; }
.label { font-size: 11px; color: var(--muted); margin-top: 4px; }
.sides, .halves { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.half { min-width: 0; }
pre.diff span { display: block; }
.diff .del, .label .del { color: var(--fail); } .diff .add, .label .add { color: var(--pass); }
pre.diff .del { background: var(--fail-bg); } pre.diff .add { background: var(--pass-bg); }
.transcript details.exchange { border: 1px solid var(--line); border-radius: 6px; margin: 4px 0; padding: 0 8px; }
details.exchange > summary { cursor: pointer; padding: 4px 0; }
details.exchange[open] { padding-bottom: 8px; }
.seq { color: var(--muted); font-variant-numeric: tabular-nums; }
.kind { font-size: 11px; border-radius: 4px; padding: 0 5px; background: var(--panel); border: 1px solid var(--line); }
.kind-idp { background: #ddf4ff; color: #0550ae; } .kind-verify { background: #fbefff; color: #8250df; }
@media (prefers-color-scheme: dark) { .kind-idp { background: #0c2d6b; color: #a5d6ff; } .kind-verify { background: #2f1a4a; color: #d2a8ff; } }
.code { font-weight: 700; font-family: ui-monospace, monospace; }
.code.s2 { color: var(--pass); } .code.s3 { color: var(--accent); } .code.s4 { color: var(--skip); } .code.s5 { color: var(--fail); }
.injected, .by { font-size: 11px; border-radius: 4px; padding: 0 5px; border: 1px dashed var(--line); color: var(--muted); }
code.line { word-break: break-all; }
blockquote { margin: 4px 0; padding: 4px 10px; border-left: 3px solid var(--accent); background: var(--panel); }
ol.timeline { list-style: none; padding-left: 0; border-left: 2px solid var(--line); margin-left: 6px; }
ol.timeline li { padding: 2px 0 2px 12px; position: relative; }
ol.timeline li::before { content: ""; position: absolute; left: -6px; top: 9px; width: 10px; height: 10px; border-radius: 50%; background: var(--accent); }
.offset { font-weight: 700; font-variant-numeric: tabular-nums; display: inline-block; min-width: 5em; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
`;
