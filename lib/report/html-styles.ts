/**
 * The report's only stylesheet, inlined so the HTML file is one self-contained artifact a CI
 * system can archive and a reviewer can open offline.
 *
 * The "only examples needing attention" filter is a checkbox plus a sibling selector: it works
 * with JavaScript off (the page's CSP forbids scripts anyway).
 */
export const REPORT_CSS = `
:root { --pass: #1a7f37; --fail: #cf222e; --muted: #6e7781; --border: #d0d7de; --bg-fail: #fff1f0; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1f2328; }
h1 { margin: 0 0 .5rem; font-size: 1.5rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--border); padding-bottom: .25rem; }
h3 { margin: 0; font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--border); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: .5rem; margin: .25rem 0; border-radius: 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.verdict { display: inline-block; padding: .2rem .6rem; border-radius: 4px; color: #fff; font-weight: 600; }
.verdict.pass, .badge.pass { background: var(--pass); }
.verdict.fail, .badge.fail { background: var(--fail); }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; color: #fff; font-size: .8rem; font-weight: 600; }
.badge.none { background: var(--muted); }
.muted { color: var(--muted); }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
dl.settings dt { font-weight: 600; }
dl.settings dd { margin: 0; }
tr.fail td { background: var(--bg-fail); }
.example { border: 1px solid var(--border); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.example.attention { border-left: 5px solid var(--fail); }
.example .meta { color: var(--muted); font-size: .9rem; }
.hit { font-weight: 600; color: var(--pass); }
details > summary { cursor: pointer; }
#only-attention:checked ~ .examples .example:not(.attention) { display: none; }
`;
