/** @odoo-module **/
// A leader at the desk: the To Review menu counts what waits; two reports approved at once from
// the list; one approved on its form, which then opens the next, and the list when none is left.
// Registered once per language.

import {
    desktopMenu,
    registerTours,
    selectRow,
    statusIs,
} from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { submitted: "Submitted", fourWait: "Reports to Review (4)" },
    zh_CN: { submitted: "已提交", fourWait: "待审阅日报（4）" },
};

const TOURS = {
    review_flow: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_daily_reports_review"),
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
    ],
};

registerTours(TOURS, WORDS);
