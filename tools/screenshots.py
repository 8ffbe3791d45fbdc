"""Takes the README's screenshots from a running demo (see tools/screenshots)."""
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DESKTOP = {"width": 1400, "height": 860}
WIDE = {"width": 1920, "height": 1200}  # the charts spread sideways and down
PHONE = {"width": 375, "height": 800}

# file, login, viewport, path, selectors to click in turn ("scroll:" scrolls to one instead,
# "top" back to the top of the view)
SHOTS = [
    ("org-chart", "director", WIDE, "/odoo/action-sales_team_org.crm_team_action_org_chart",
     [".o_hierarchy_node:has-text('销售总部') .o_hierarchy_node_button",
      ".o_hierarchy_node:has-text('华东区域销售部') .o_hierarchy_node_button", "top"]),
    ("people-chart", "director", WIDE, "/odoo/action-sales_team_org.crm_team_member_action_people_chart",
     [".o_hierarchy_node:has-text('王建国') .o_hierarchy_node_button",
      ".o_hierarchy_node:has-text('李华') .o_hierarchy_node_button", "top"]),
    ("unit", "director", DESKTOP, "/odoo/action-sales_team_org.crm_team_action_units",
     [".o_data_row:has-text('华东业务一部') td[name=complete_name]"]),
    ("role", "director", DESKTOP, "/odoo/action-sales_team_org.sales_org_role_action",
     [".o_data_row:has-text('业务经理') td[name=name]"]),
    ("reports-to-review", "manager", DESKTOP, "/odoo/action-sales_team_org.sales_daily_report_action_review", []),
    ("daily-report", "manager", DESKTOP, "/odoo/action-sales_team_org.sales_daily_report_action_review",
     [".o_data_row td[name=user_id]"]),
    # the board opens on today: on a day off, the days before show instead
    ("not-submitted", "director", DESKTOP, "/odoo/action-sales_team_org.sales_daily_report_status_action",
     [".o_searchview_facet:has-text('今天') .o_facet_remove", ".o_group_header"]),
    ("monthly-summaries", "director", DESKTOP, "/odoo/action-sales_team_org.sales_monthly_summary_action", []),
    ("phone-daily-reports", "clerk", PHONE, "/odoo/action-sales_team_org.sales_daily_report_action", []),
    ("phone-daily-report", "clerk", PHONE, "/odoo/action-sales_team_org.sales_daily_report_action",
     [".o_kanban_record", "scroll:.o_notebook"]),
    ("phone-not-submitted", "manager", PHONE, "/odoo/action-sales_team_org.sales_daily_report_status_action", []),
    ("phone-report-sections", "clerk3", PHONE, "/odoo/action-sales_team_org.sales_daily_report_action",
     [".o_kanban_record", ".o_notebook a[name=diary]"]),
    ("phone-visit", "clerk3", PHONE, "/odoo/action-sales_team_org.sales_daily_report_action",
     [".o_kanban_record", ".o_field_widget[name=line_ids] .o_kanban_record:has(.o_sales_line_checked_in)"]),
    ("sales-by-region", "director", DESKTOP, "/odoo/action-sales_team_org.sale_report_action_by_region", []),
]


def main(base_url, out_dir, *only):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    executable = shutil.which("chromium") or shutil.which("google-chrome") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for name, login, viewport, path, clicks in SHOTS:
            if only and name not in only:
                continue
            context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
            page = context.new_page()
            page.goto(f"{base_url}/web/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", login)
            page.click("button[type=submit]")
            page.wait_for_selector(".o_main_navbar", timeout=60000)
            page.goto(base_url + path)
            page.wait_for_selector(".o_view_controller", timeout=60000)
            for selector in clicks:
                if selector == "top":
                    page.evaluate("document.querySelector('.o_content').scrollTo(0, 0)")
                    continue
                if selector.startswith("scroll:"):
                    page.locator(selector.removeprefix("scroll:")).first.scroll_into_view_if_needed()
                    continue
                page.locator(selector).first.click()
                page.wait_for_timeout(2500)  # the bus keeps the network busy: no idle to wait for
            page.wait_for_timeout(1500)
            page.screenshot(path=out / f"{name}.png")
            print(out / f"{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
