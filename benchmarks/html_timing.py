"""Open an iamgraph HTML report in headless chromium; time until interactive and a node click shows details."""

import json
import sys
import time

from playwright.sync_api import sync_playwright

path = sys.argv[1]
arn = (sys.argv[2] or None) if len(sys.argv) > 2 else None
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
with sync_playwright() as pw:
    b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = b.new_page(viewport={"width": 1500, "height": 1000})
    reqs, errs = [], []
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith("file://") else (reqs.append(r.request.url), r.abort()),
    )
    page.on("pageerror", lambda e: errs.append(str(e)))
    t0 = time.monotonic()
    page.goto("file://" + path, wait_until="commit", timeout=120000)
    page.wait_for_function("() => window.iamgraphReport && window.iamgraphReport.ready", timeout=120000)
    t_ready = time.monotonic() - t0
    # wait until vis finished its first draw
    page.evaluate("""() => new Promise(res => { network.once('afterDrawing', () => res()); network.redraw(); })""")
    t_drawn = time.monotonic() - t0
    n = page.evaluate("network.body.data.nodes.length")
    if arn is None:
        arn = page.evaluate("JSON.parse(document.getElementById('iamgraph-data').textContent).findings[0].source")
    t1 = time.monotonic()
    x, y = page.evaluate(
        """(arn) => {
        const vid = window.iamgraphReport.vidOf(arn);
        document.getElementById('mynetwork').scrollIntoView();
        network.focus(vid, {scale: 1, animation: false});
        const p = network.canvasToDOM(network.getPositions([vid])[vid]);
        const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }""",
        arn,
    )
    page.mouse.click(x, y)
    page.wait_for_function("() => document.getElementById('ig-panel-body').dataset.kind === 'node'", timeout=60000)
    t_click = time.monotonic() - t1
    text = page.locator("#ig-panel-body").inner_text()
    print(
        json.dumps(
            {
                "file": path,
                "ready_s": round(t_ready, 2),
                "drawn_s": round(t_drawn, 2),
                "click_to_panel_s": round(t_click, 2),
                "nodes": n,
                "requests": reqs,
                "errors": errs,
                "panel_chars": len(text),
                "panel_head": text[:300],
            }
        )
    )
    if len(sys.argv) > 3:
        page.screenshot(path=sys.argv[3])
    b.close()
