/** The console's only stylesheet, served from the console's own origin (CSP `style-src 'self'`). */
export const STYLESHEET = `:root {
  --ink: #1d2530; --muted: #5b6676; --line: #d8dee6; --bg: #f5f7fa; --card: #fff;
  --accent: #0b5cad; --ok: #1b7a3d; --warn: #a35d00; --bad: #b3261e;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; line-height: 1.5; }
a { color: var(--accent); }
header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between;
  padding: .75rem 1.5rem; background: #12324f; color: #fff; }
header.top a, header.top strong { color: #fff; }
header.top .brand { font-weight: 600; text-decoration: none; font-size: 1.05rem; }
header.top .operator { display: flex; gap: .75rem; align-items: center; }
header.top .operator button { background: transparent; color: #fff; border-color: #8fb3d9; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.flash { padding: .75rem 1rem; border-radius: 6px; border: 1px solid var(--line); background: #eef6ff; }
.flash.error, .problem { background: #fdecea; border-color: #f0b8b3; }
.flash.ok { background: #e9f6ee; border-color: #b5dfc2; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
th, td { text-align: left; padding: .6rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
.badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .85rem; font-weight: 600; }
.badge.active, .badge.ok { background: #e9f6ee; color: var(--ok); }
.badge.not_authorized, .badge.provider_down { background: #fff4e5; color: var(--warn); }
.badge.reauthorization_required, .badge.reauthorize, .badge.bad_credentials, .badge.misconfigured, .badge.error { background: #fdecea; color: var(--bad); }
ul.warnings { margin: .25rem 0; padding-left: 1.2rem; color: var(--warn); }
dl.facts { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
form.inline { display: inline; margin: 0; }
button, .button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--line);
  background: var(--card); color: var(--ink); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger, .button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
.field { margin: 0 0 1rem; }
.field label { display: block; font-weight: 600; margin-bottom: .2rem; }
.field input:not([type=checkbox]), .field select, .field textarea { width: 100%; max-width: 36rem; padding: .45rem .55rem;
  border: 1px solid #b9c3cf; border-radius: 6px; font: inherit; background: #fff; }
.field.invalid input, .field.invalid select { border-color: var(--bad); }
.help { color: var(--muted); font-size: .9rem; margin: .2rem 0 0; }
.error { color: var(--bad); font-weight: 600; margin: .2rem 0 0; }
.optional { color: var(--muted); font-weight: 400; font-size: .9rem; }
fieldset.group { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.problem { padding: .75rem 1rem; border: 1px solid; border-radius: 6px; }
.muted { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
nav.lang strong { text-decoration: underline; }
`;
