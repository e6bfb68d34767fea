/** The console's one stylesheet, served at /admin/assets/console.css. System fonts; light and dark from prefers-color-scheme. */
export const CONSOLE_CSS = `
:root{color-scheme:light dark;
--bg:#f5f6f8;--surface:#fff;--surface-2:#f0f2f5;--border:#dde1e7;--border-strong:#b9c1cc;--fg:#18202b;--muted:#5a6676;
--accent:#2255d4;--accent-hover:#1a45b0;--accent-fg:#fff;--accent-soft:#eaf0fd;--danger:#c0362c;--danger-soft:#fdeceb;
--ok:#1b7a45;--ok-soft:#e6f4ec;--warn:#875600;--warn-soft:#fff5dc;--radius:10px;
--shadow:0 1px 2px rgb(16 24 40/.05),0 1px 3px rgb(16 24 40/.07);
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#0e1319;--surface:#161d26;--surface-2:#1d2631;--border:#2a3542;--border-strong:#3e4b5b;
--fg:#e5eaf0;--muted:#9aa7b7;--accent:#7ea6ff;--accent-hover:#a0bdff;--accent-fg:#0b1220;--accent-soft:#1b2743;--danger:#ff8b81;
--danger-soft:#3a1d1b;--ok:#6fd39b;--ok-soft:#15301f;--warn:#f1c667;--warn-soft:#342a10;--shadow:none}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent);text-underline-offset:2px}a:hover{color:var(--accent-hover)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
main:focus{outline:none}
h1{font-size:1.5rem;line-height:1.25;margin:0;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
h2{font-size:1.125rem;line-height:1.3;margin:0 0 .75rem}
p{margin:.5rem 0}
code,.mono{font-family:var(--mono);font-size:.875em}
[hidden]{display:none!important}
.muted{color:var(--muted)}.strong{font-weight:600}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:.75rem;top:-4rem;z-index:10;background:var(--surface);padding:.5rem .75rem;border-radius:8px;box-shadow:var(--shadow)}
.skip-link:focus{top:.75rem}

.topbar{background:var(--surface);border-bottom:1px solid var(--border)}
.topbar-inner{max-width:72rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
.brand{display:inline-flex;align-items:center;gap:.5rem;margin:0;font-weight:700;color:var(--fg);text-decoration:none;letter-spacing:-.01em}
.brand svg{color:var(--accent)}.brand.big{font-size:1.1rem;margin-bottom:1.25rem}
.mainnav{display:flex;flex-wrap:wrap;gap:.25rem;flex:1}
.mainnav a{padding:.45rem .75rem;border-radius:8px;color:var(--muted);text-decoration:none;font-weight:550}
.mainnav a:hover{background:var(--surface-2);color:var(--fg)}
.mainnav a[aria-current=page]{color:var(--accent);background:var(--accent-soft)}
.account{display:flex;align-items:center;gap:.75rem;margin-left:auto}
.account form{margin:0}
.who{display:flex;flex-direction:column;align-items:flex-end;margin:0;line-height:1.2;font-weight:600}
.who small{color:var(--muted);font-weight:400}
@media (max-width:640px){.topbar-inner{column-gap:.5rem;padding:.5rem .75rem}.account{gap:.5rem}.who small{font-size:.75rem}
.mainnav{order:3;flex-basis:100%;flex-wrap:nowrap;overflow-x:auto;margin:0 -.25rem}.mainnav a{white-space:nowrap}}
@media (max-width:420px){.topbar .brand-suffix{display:none}}

.container{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 4rem}
.narrow{max-width:32rem}
.page-head{display:flex;flex-wrap:wrap;align-items:flex-start;justify-content:space-between;gap:1rem;margin:0 0 1.25rem}
.page-head>div{min-width:0}
.page-head p{margin:.35rem 0 0;color:var(--muted)}
.breadcrumb{font-size:.875rem;margin-bottom:.5rem}
.breadcrumb ol{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0;margin:0;color:var(--muted)}
.breadcrumb li+li::before{content:"/";margin-right:.4rem;color:var(--border-strong)}
.card{background:var(--surface);border:1px solid var(--border);border-radius:var(--radius);box-shadow:var(--shadow);padding:1.25rem}
.narrow-card{max-width:48rem}
#general .field:first-of-type input{max-width:40rem}
.stack>*{margin-top:0;margin-bottom:0}.stack>*+*{margin-top:1rem}

.button{display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:2.5rem;padding:.45rem 1rem;border-radius:8px;
border:1px solid var(--border-strong);background:var(--surface);color:var(--fg);font:inherit;font-weight:600;line-height:1.2;text-decoration:none;cursor:pointer;white-space:nowrap}
.button:hover{background:var(--surface-2);color:var(--fg)}
.button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
.button.primary:hover{background:var(--accent-hover);border-color:var(--accent-hover)}
.button.danger{color:var(--danger);border-color:color-mix(in srgb,var(--danger) 55%,transparent);background:transparent}
.button.danger:hover{background:var(--danger-soft)}
.button.danger.solid{background:var(--danger);border-color:var(--danger);color:#fff}
@media (prefers-color-scheme:dark){.button.danger.solid{color:#1a0b0a}}
.button.small{min-height:2rem;padding:.25rem .7rem;font-size:.875rem}
.button.block{width:100%}
.button[aria-disabled=true]{opacity:.45;cursor:default;pointer-events:none}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.actions form{margin:0}.actions.end{justify-content:flex-end}

.table-wrap{background:var(--surface);border:1px solid var(--border);border-radius:var(--radius);box-shadow:var(--shadow);overflow:auto}
table{width:100%;border-collapse:collapse}
th,td{padding:.7rem 1rem;text-align:left;vertical-align:middle;border-bottom:1px solid var(--border)}
tbody tr:last-child td{border-bottom:0}
tbody tr:hover{background:color-mix(in srgb,var(--surface-2) 60%,transparent)}
th{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);background:var(--surface-2);font-weight:650;white-space:nowrap}
th a{color:inherit;text-decoration:none;display:inline-flex;gap:.35rem;align-items:center}
th a:hover{color:var(--fg)}
.sort-arrow{font-size:.65rem}
td.empty{padding:2rem 1rem;text-align:center;color:var(--muted)}
@media (max-width:720px){.compact th,.compact td{padding:.6rem .5rem;white-space:normal}.compact td:first-child,.compact th:first-child{padding-left:.75rem}.compact code{overflow-wrap:anywhere}}
.nowrap{white-space:nowrap}
.url{display:grid;grid-template-columns:minmax(0,1fr) auto;align-items:center;gap:.5rem;min-width:0}
.url code{overflow-wrap:anywhere}
.endpoint{margin-top:.5rem}
.default-mark{color:var(--ok);display:inline-flex}
@media (max-width:720px){
.responsive thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.responsive tr{display:block;padding:.6rem 0;border-bottom:1px solid var(--border)}
.responsive tbody tr:last-child{border-bottom:0}
.responsive td{display:grid;grid-template-columns:6.5rem minmax(0,1fr);gap:.75rem;align-items:center;border:0;padding:.3rem 1rem}
.responsive td::before{content:attr(data-label);font-size:.75rem;font-weight:650;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.responsive td.empty{display:block}.responsive td.empty::before{content:none}}

.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.75rem;font-weight:650;line-height:1.5;background:var(--surface-2);color:var(--muted);border:1px solid var(--border);margin-left:.4rem;vertical-align:middle}
h1 .badge{margin-left:0}
.badge.ok{background:var(--ok-soft);color:var(--ok);border-color:transparent}
.badge.off{background:var(--danger-soft);color:var(--danger);border-color:transparent}
.badge.accent{background:var(--accent-soft);color:var(--accent);border-color:transparent}

.field{margin:0 0 1.1rem;min-width:0}
label,.label{display:block;font-weight:600;margin:0 0 .3rem}
.required{color:var(--danger)}
.hint{color:var(--muted);font-size:.875rem;margin:0 0 .4rem}
.hint.status{margin:.35rem 0 0}.hint.status:empty{display:none}
.status.ok{color:var(--ok)}.status.taken{color:var(--danger)}
input:not([type=checkbox]):not([type=radio]):not([type=hidden]),select,textarea{display:block;width:100%;font:inherit;color:var(--fg);background:var(--surface);
border:1px solid var(--border-strong);border-radius:8px;padding:.5rem .7rem;min-height:2.5rem}
textarea{resize:vertical;line-height:1.45}
input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid color-mix(in srgb,var(--accent) 40%,transparent);outline-offset:0;border-color:var(--accent)}
input[readonly],textarea[readonly],select:disabled{background:var(--surface-2);color:var(--muted)}
.has-error input,.has-error textarea,.has-error select,[aria-invalid=true]{border-color:var(--danger)!important}
.field-error{color:var(--danger);font-size:.875rem;font-weight:550;margin:.35rem 0 0}
.field-error::before{content:"";display:inline-block;width:.5em;height:.5em;border-radius:50%;background:currentColor;margin-right:.4em;vertical-align:.1em}
.count{display:block;text-align:right;font-size:.75rem;color:var(--muted);margin-top:.2rem;font-variant-numeric:tabular-nums}
.count.near{color:var(--warn)}.count.full{color:var(--danger);font-weight:650}
.check{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.15rem .65rem;margin:0 0 1.1rem}
.check input{width:1.15rem;height:1.15rem;margin:.2rem 0 0;accent-color:var(--accent)}
.check label{margin:0}.check .hint,.check .field-error{grid-column:2;margin:0}
fieldset{border:1px solid var(--border);border-radius:var(--radius);padding:.75rem 1.25rem .25rem;margin:0 0 1.25rem;min-width:0}
legend{font-weight:700;padding:0 .4rem;margin-left:-.4rem}
.country-tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.country-tools input[type=search]{flex:1 1 14rem;width:auto}
.country-list{list-style:none;margin:0 0 1rem;padding:.25rem .5rem;max-height:18rem;overflow:auto;border:1px solid var(--border);border-radius:var(--radius);columns:16rem auto}
.country-list li{display:flex;gap:.4rem;align-items:baseline;padding:.15rem 0;break-inside:avoid}
.country-list li[hidden]{display:none}
fieldset.has-error{border-color:var(--danger)}
.grid-2{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:0 1.25rem}
.form-actions{position:sticky;bottom:0;z-index:2;display:flex;flex-wrap:wrap;gap:.5rem;padding:.75rem 0;margin-bottom:1.25rem;background:var(--bg);border-top:1px solid var(--border)}
.inline-form{display:grid;grid-template-columns:minmax(0,1fr) auto;align-items:start;gap:.5rem;margin:0}
.inline-form .field{margin:0}
.inline-form>.button{min-height:2.5rem}
.inline-form.single{display:block}

.alert{border:1px solid transparent;border-radius:var(--radius);padding:.75rem 1rem;margin:0 0 1.25rem}
.alert p:first-child{margin-top:0}.alert p:last-child{margin-bottom:0}
.alert.info{background:var(--accent-soft);border-color:color-mix(in srgb,var(--accent) 30%,transparent)}
.alert.ok{background:var(--ok-soft);border-color:color-mix(in srgb,var(--ok) 35%,transparent)}
.alert.warning{background:var(--warn-soft);border-color:color-mix(in srgb,var(--warn) 35%,transparent)}
.alert.error{background:var(--danger-soft);border-color:color-mix(in srgb,var(--danger) 45%,transparent)}
.error-summary:focus{outline:1px solid var(--danger);outline-offset:2px}
.error-summary h2{font-size:1rem;margin:0 0 .25rem;color:var(--danger)}
.error-summary ul{margin:0;padding-left:1.25rem}
.error-summary a{color:var(--fg)}

.tablist{display:flex;gap:.25rem;border-bottom:1px solid var(--border);margin:0 0 1.25rem;overflow-x:auto;scrollbar-width:thin}
.tablist [role=tab]{font:inherit;font-weight:600;color:var(--muted);background:none;border:0;border-bottom:3px solid transparent;margin-bottom:-1px;padding:.65rem .9rem;cursor:pointer;white-space:nowrap;border-radius:6px 6px 0 0}
.tablist [role=tab]:hover{color:var(--fg);background:var(--surface-2)}
.tablist [role=tab]:focus-visible{outline-offset:-3px}
.tablist [role=tab][aria-selected=true]{color:var(--accent);border-bottom-color:var(--accent)}
.tablist [role=tab] .dot{display:inline-block;width:.45rem;height:.45rem;border-radius:50%;background:var(--danger);margin-left:.4rem;vertical-align:.15em}
.panel{background:var(--surface);border:1px solid var(--border);border-radius:var(--radius);box-shadow:var(--shadow);padding:1.25rem;margin:0 0 1.25rem}
.panel-title{font-size:1.2rem}
.tabs-on .panel-title{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}

.pagination{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem;padding:.6rem 1rem;border-top:1px solid var(--border);background:var(--surface-2)}
.token-forms{display:grid;gap:.75rem;margin:0 0 1rem}
details.disclosure{border:1px solid var(--border);border-radius:var(--radius);background:var(--surface)}
details.disclosure>summary{cursor:pointer;list-style:none;display:flex;align-items:center;gap:.6rem;padding:.75rem 1rem;font-weight:650;color:var(--accent);border-radius:var(--radius)}
details.disclosure>summary::-webkit-details-marker{display:none}
details.disclosure>summary::before{content:"+";display:inline-grid;place-items:center;width:1.4rem;height:1.4rem;border-radius:6px;background:var(--accent-soft);font-weight:700}
details.disclosure[open]>summary::before{content:"−"}
details.disclosure>form{padding:.25rem 1rem 1rem}

.secret{display:flex;flex-wrap:wrap;gap:.5rem;align-items:stretch}
.secret code{flex:1 1 20rem;min-width:0;padding:.65rem .8rem;font-size:.95rem;background:var(--surface-2);border:1px dashed var(--border-strong);border-radius:8px;word-break:break-all;user-select:all}
.secret .button{min-height:auto}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.facts dt{color:var(--muted)}.facts dd{margin:0}

.users-layout{display:grid;gap:1.5rem;align-items:start}
@media (min-width:960px){.users-layout{grid-template-columns:20rem minmax(0,1fr)}}
.account-list{list-style:none;margin:0;padding:0;background:var(--surface);border:1px solid var(--border);border-radius:var(--radius);box-shadow:var(--shadow)}
.account-item{padding:1rem 1.25rem;border-bottom:1px solid var(--border)}
.account-item:last-child{border-bottom:0}
.account-head{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem;margin-bottom:.6rem}
.account-name{margin-right:.25rem;overflow-wrap:anywhere}
.account-head .badge{margin-left:0}
.account-actions{display:grid;gap:.6rem}
@media (min-width:720px){.account-actions{grid-template-columns:minmax(0,1fr) minmax(0,1.2fr) 6.5rem;gap:1rem}}

dialog{border:1px solid var(--border);border-radius:12px;padding:1.25rem;width:min(28rem,calc(100% - 2rem));background:var(--surface);color:var(--fg);box-shadow:0 12px 32px rgb(0 0 0/.25)}
dialog::backdrop{background:rgb(10 15 25/.55)}
dialog h2{margin-bottom:.5rem}

.centered{min-height:100vh}
.signin{min-height:100vh;display:grid;place-items:center;padding:1.5rem 1rem}
.signin-card{width:100%;max-width:24rem;padding:1.75rem}
.signin-card h1{margin-bottom:.25rem}
.signin-card form{margin-top:1.25rem}
.status-page{padding:2rem 0}
.status-code{font-size:3rem;font-weight:800;color:var(--border-strong);margin:0;line-height:1}
.status-page h1{margin:.5rem 0}
.grid-4{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem}
.filters{margin:0 0 1.25rem}.filters .actions{margin-top:.5rem}
.subnav{display:flex;gap:.25rem;border-bottom:1px solid var(--border);margin:0 0 1.25rem;overflow-x:auto}
.subnav a{padding:.55rem .85rem;color:var(--muted);text-decoration:none;font-weight:600;border-bottom:3px solid transparent;margin-bottom:-1px;white-space:nowrap}
.subnav a:hover{color:var(--fg)}.subnav a[aria-current=page]{color:var(--accent);border-bottom-color:var(--accent)}
.chooser{list-style:none;margin:0 0 1rem;padding:0;border:1px solid var(--border);border-radius:var(--radius)}
.chooser li{display:grid;grid-template-columns:auto minmax(0,1fr) 5rem;gap:.65rem;align-items:center;padding:.45rem .75rem;border-bottom:1px solid var(--border)}
.chooser li:last-child{border-bottom:0}.chooser input[type=checkbox]{width:1.15rem;height:1.15rem;accent-color:var(--accent)}
.chooser label{margin:0;font-weight:550}.chooser input[type=number]{min-height:2rem;padding:.2rem .4rem}
.test-result{margin-top:1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:0 0 1.25rem}
.tile{background:var(--surface);border:1px solid var(--border);border-radius:var(--radius);padding:.75rem 1rem}
.tile dt{color:var(--muted);font-size:.8rem}.tile dd{margin:0;font-size:1.5rem;font-weight:700}
.charts{gap:1.25rem;margin-bottom:1.25rem}.charts figure{margin:0}.charts figcaption{font-weight:650;margin-bottom:.5rem}.charts svg{width:100%;height:auto}
@media (max-width:720px){.container{padding:1rem .75rem 3rem}.panel,.card{padding:1rem .75rem}fieldset{padding:.5rem .75rem .1rem}}
@media (prefers-reduced-motion:no-preference){.button,.mainnav a,.tablist [role=tab]{transition:background-color .12s,color .12s,border-color .12s}}
`;
