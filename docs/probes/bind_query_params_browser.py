import sys, time
sys.path.insert(0, "/work/main")
from bench import browser
from bench.server import Server
from pathlib import Path
from playwright.sync_api import sync_playwright
s = Server("docs/probes/bind_query_params_app.py", log_path=Path("/tmp/bind_probe.log")); s.start(); s.wait_healthy()
def val(page):
    page.wait_for_timeout(1200)
    return page.locator("text=VALUE").inner_text(), page.url.split("?",1)[-1] if "?" in page.url else ""
try:
  with sync_playwright() as p:
    b = p.chromium.launch(executable_path=browser.CHROMIUM, headless=True, args=browser.CHROMIUM_ARGS)
    page = b.new_page()
    page.goto(s.base + "/?tags=A&ind=age"); print("open", val(page))
    page.goto(s.base + "/?tags=A,B&n=7"); print("comma", val(page))
    page.goto(s.base + "/?ind=zzz&n=abc&tags=Q"); print("garbage", val(page))
    page.goto(s.base + "/?tags=A"); print("start", val(page))
    page.get_by_label("Ind").click(); page.get_by_role("option", name="members").click(); print("pick members", val(page))
    page.get_by_test_id("stNumberInputField").fill("9"); page.keyboard.press("Enter"); print("n=9", val(page))
    page.go_back(); print("back1", val(page))
    page.go_back(); print("back2", val(page))
    page.go_forward(); print("fwd", val(page))
    b.close()
finally:
    s.stop()
