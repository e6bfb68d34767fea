/** The page shell shared by people-facing pages: mobile-first, no third-party assets, CSP nonce on inline style/script. */
import type { Child } from 'hono/jsx';

const STYLE = `
:root{color-scheme:light dark;--fg:#17202a;--muted:#5d6d7e;--bg:#f4f6f8;--card:#fff;--accent:#1e6fd9;--danger:#b03a2e;--ok:#1e8449}
@media (prefers-color-scheme:dark){:root{--fg:#eef2f5;--muted:#a9b6c2;--bg:#111820;--card:#1b2530;--accent:#5ea1ff;--danger:#ff7b6e;--ok:#58d68d}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:var(--card);border-radius:14px;padding:1.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin:0 0 .75rem}p{margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}
.buttons{display:flex;gap:.75rem;margin-top:1.25rem}
button{flex:1;font:inherit;font-weight:600;padding:.9rem;border-radius:10px;border:0;cursor:pointer}
button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.accept{background:var(--ok);color:#fff}.reject{background:transparent;color:var(--danger);border:2px solid var(--danger)}
.status{font-size:2.5rem;line-height:1}
.match{font-size:1.6rem;letter-spacing:.05em;background:var(--bg);color:var(--fg);border:2px solid var(--accent)}
.report{display:block;width:100%;margin-top:1rem;background:transparent;color:var(--muted);font-weight:500;text-decoration:underline;padding:.5rem}
a{color:var(--accent);overflow-wrap:anywhere}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input{font:inherit;padding:.6rem .7rem;border-radius:8px;border:1px solid var(--muted);background:var(--bg);color:var(--fg);width:100%}
.inline{display:flex;gap:.5rem}.inline button{flex:0 0 auto;background:var(--accent);color:#fff;padding:.6rem 1rem}
.bubble{background:var(--bg);border-radius:14px 14px 14px 4px;padding:.6rem .8rem;margin:.75rem 0}
.sms-text{white-space:pre-line}
.open-app{display:block;margin-top:1.25rem;padding:.9rem;border-radius:10px;background:var(--ok);color:#fff;font-weight:600;text-align:center;text-decoration:none}
.open-app:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
`;

export function Page(props: { title: string; lang: string; nonce?: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style nonce={props.nonce}>{STYLE}</style>
      </head>
      <body>
        <main>
          <div class="card">{props.children}</div>
        </main>
      </body>
    </html>
  );
}
