// Shared stylesheet of the dashboard pages (served as /style.css; no external assets).
export const STYLE_CSS = String.raw`*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.4 system-ui,sans-serif;background:#f4f5f7;color:#1d232b}
header{background:#1d232b;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header h1{font-size:17px;margin:0}
header a{color:#9cd3ff}
.mono{font-family:ui-monospace,monospace;word-break:break-all}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px;padding:12px}
section{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 2px #0002}
section.wide{grid-column:1/-1}
h2{font-size:14px;margin:0 0 8px;color:#44505e;text-transform:uppercase;letter-spacing:.04em}
h3{font-size:13px;margin:10px 0 2px}
header details{font-size:12px;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #e3e6ea;vertical-align:top}
td.n,th.n{text-align:right}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;background:#dde3ea;font-size:12px}
.ok{background:#c9f0d2}.warn{background:#ffe7b3}.bad{background:#ffc9c9}
.note{background:#fff6dc;border-left:3px solid #e0a800;padding:6px 8px;margin:6px 0}
.err{color:#b00020}
form,.row{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:4px 0}
input,select,textarea,button{font:inherit;padding:4px 6px}
textarea{width:100%;min-height:140px;font-family:ui-monospace,monospace;font-size:12px}
button{cursor:pointer;border:1px solid #8a96a3;border-radius:4px;background:#fff}
button.danger{border-color:#b00020;color:#b00020}
svg{width:100%;height:auto;background:#fafbfc}
footer{padding:8px 16px 16px;color:#5b6672;font-size:12px}
`;
