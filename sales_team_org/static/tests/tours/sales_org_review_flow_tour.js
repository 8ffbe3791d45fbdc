/** @odoo-module **/
// A leader at the desk: the To Review menu counts what waits; two reports approved at once from
// the list; one approved on its form, which then opens the next, and the list when none is left.
// Registered once per language.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const WORDS = {
    en_US: { submitted: "Submitted", fourWait: "Reports to Review (4)" },
    zh_CN: { submitted: "已提交", fourWait: "待审阅日报（4）" },
};

function selectRow(name) {
    return {
        content: `select the report of ${name}`,
        trigger: `.o_data_row:contains('${name}') .o_list_record_selector input`,
        run: "click",
    };
}

function statusIs(label) {
    return {
        content: `the report is ${label}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains('${label}')`,
    };
}

const steps = (w) => [
    stepUtils.showAppsMenuItem(),
    { content: "open CRM", trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']", run: "click" },
    {
        content: "open the daily reports",
        trigger: ".o_menu_sections button[data-menu-xmlid='sales_team_org.menu_sales_daily_root']",
        run: "click",
    },
    {
        content: "open To Review",
        trigger: ".dropdown-item[data-menu-xmlid='sales_team_org.menu_sales_daily_reports_review']",
        run: "click",
    },
    { content: "four reports wait", trigger: `.o_breadcrumb:contains('${w.fourWait}')` },
    selectRow("Review Rep 0"),
    selectRow("Review Rep 1"),
    {
        content: "approve both at once",
        trigger: ".o_control_panel button[name=action_approve]",
        run: "click",
    },
    {
        content: "both left the list, the others wait",
        trigger:
            ".o_list_renderer:not(:has(.o_data_row:contains('Review Rep 0'))):not(:has(.o_data_row:contains('Review Rep 1')))" +
            ":has(.o_data_row:contains('Review Rep 2'))",
    },
    {
        content: "open the rep's report",
        trigger: ".o_data_row:contains('T_Rep_Shanghai') td[name=user_id]",
        run: "click",
    },
    statusIs(w.submitted),
    {
        content: "approve it",
        trigger: ".o_form_view .o_form_statusbar button[name=action_approve]",
        run: "click",
    },
    {
        content: "the next report waiting opens",
        trigger: ".o_form_view .o_field_widget[name=name]:contains('Review Rep 2')",
    },
    statusIs(w.submitted),
    {
        content: "approve the last one",
        trigger: ".o_form_view .o_form_statusbar button[name=action_approve]",
        run: "click",
    },
    { content: "back to the list, nothing left", trigger: ".o_list_view .o_view_nocontent" },
];

for (const [lang, words] of Object.entries(WORDS)) {
    registry.category("web_tour.tours").add(`sales_team_org_review_flow_${lang}`, {
        url: "/odoo",
        steps: () => steps(words),
    });
}
