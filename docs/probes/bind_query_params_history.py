import sys
sys.path.insert(0, "/work/main")
from bench import browser
from bench.server import Server
from pathlib import Path
from playwright.sync_api import sync_playwright
s = Server("docs/probes/bind_query_params_app.py", log_path=Path("/tmp/bind_probe.log")); s.start(); s.wait_healthy()
def val(page, what):
    page.wait_for_timeout(1500)
    print(what, page.locator("text=VALUE").inner_text(), "| url:", page.url.split("?",1)[-1] if "?" in page.url else "", "| hist:", page.evaluate("history.length"))
try:
  with sync_playwright() as p:
    b = p.chromium.launch(executable_path=browser.CHROMIUM, headless=True, args=browser.CHROMIUM_ARGS)
    page = b.new_page()
    page.goto(s.base + "/?tags=A"); val(page, "start")
    page.get_by_role("combobox", name="Ind").click(); page.get_by_role("option", name="members").click(); val(page, "pick members")
    page.get_by_test_id("stNumberInputField").fill("9"); page.keyboard.press("Enter"); val(page, "n=9")
    page.evaluate("history.back()"); val(page, "back1")
    page.evaluate("history.back()"); val(page, "back2")
    page.evaluate("history.forward()"); val(page, "fwd")
    b.close()
finally:
    s.stop()
