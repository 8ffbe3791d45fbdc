/** @odoo-module **/
// The daily report's round trip as people do it: the rep on a phone, the manager and the
// director at a desk; then a monthly summary handed up and approved. Each tour is registered
// once per language; only the words differ.

import {
    desktopMenu,
    phoneMenu,
    phoneTodaysReport,
    registerTours,
    statusIs,
} from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: {
        submit: "Submit",
        return: "Return",
        approve: "Approve",
        submitted: "Submitted",
        returned: "Returned",
        reviewed: "Reviewed",
        toReview: "Reports to Review",
        notSubmitted: "Who Has Not Submitted",
        orgChart: "Org Chart",
        missing: "Not Written",
        mySummaries: "My Summaries",
    },
    zh_CN: {
        submit: "提交",
        return: "退回",
        approve: "批准",
        submitted: "已提交",
        returned: "已退回",
        reviewed: "已审阅",
        toReview: "待审阅日报",
        notSubmitted: "未提交日报人员",
        orgChart: "组织架构图",
        missing: "未填写",
        mySummaries: "我的总结",
    },
};

const REP = "T_Rep_Shanghai";

function addCall(contact, subject, nextStep) {
    return [
        {
            content: "add a call",
            trigger: ".o_field_widget[name=line_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "the person called",
            trigger: ".modal .o_field_widget[name=contact_name] input",
            run: `edit ${contact}`,
        },
        {
            content: "what was discussed",
            trigger: ".modal .o_field_widget[name=subject] input",
            run: `edit ${subject}`,
        },
        {
            content: "the next step",
            trigger: ".modal .o_field_widget[name=next_step] input",
            run: `edit ${nextStep}`,
        },
        { content: "keep the call", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the call is on the report",
            trigger: `.o_field_widget[name=line_ids] .o_kanban_record:contains('${subject}')`,
        },
    ];
}

/** A header button; at phone size the form keeps them in its cog menu. */
function headerButton(name, label) {
    return [
        {
            isActive: ["mobile"],
            content: "open the form's menu",
            trigger: ".o_control_panel .o_cp_action_menus .fa-cog",
            run: "click",
        },
        {
            content: `click ${label}`,
            trigger:
                `.o_statusbar_buttons button[name=${name}]:contains('${label}'), ` +
                `.dropdown-item button[name=${name}]:contains('${label}')`,
            run: "click",
        },
    ];
}

const TOURS = {
    rep_writes_report: (w) => [
        ...phoneTodaysReport(),
        ...addCall("陈经理", "Yearly contract renewal", "Send the quotation"),
        ...addCall("赵总", "Demo of the new product line", "Visit on Monday"),
        ...headerButton("action_submit", w.submit),
        statusIs(w.submitted),
        {
            content: "a submitted report is no longer the rep's to change",
            trigger: ".o_field_widget[name=line_ids]:not(:has(.o-kanban-button-new))",
        },
    ],
    manager_returns_report: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_daily_reports_review"),
        { content: "reports to review", trigger: `.o_breadcrumb:contains('${w.toReview}')` },
        { content: "open the rep's report", trigger: `.o_data_row:contains('${REP}') td[name=user_id]`, run: "click" },
        {
            content: "say what to fix",
            trigger: ".o_field_widget[name=review_comment] textarea",
            run: "edit Add the customer's answer to the second call.",
        },
        ...headerButton("action_return", w.return),
        { content: "nothing else waits: back to the list", trigger: ".o_list_view .o_view_nocontent" },
    ],
    rep_resubmits_report: (w) => [
        ...phoneMenu("sales_team_org.menu_sales_daily_reports"),
        { content: "open the returned report", trigger: `.o_kanban_group:contains('${w.returned}') .o_kanban_record`, run: "click" },
        statusIs(w.returned),
        { content: "read the comment", trigger: ".o_field_widget[name=review_comment]:contains('second call')" },
        {
            content: "open the second call",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:contains('new product line')",
            run: "click",
        },
        {
            content: "the customer's answer",
            trigger: ".modal .o_field_widget[name=result] textarea",
            run: "edit Interested; wants a price for 200 units.",
        },
        { content: "keep the call", trigger: ".modal .o_form_button_save", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        ...headerButton("action_submit", w.submit),
        statusIs(w.submitted),
    ],
    manager_approves_report: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_daily_reports_review"),
        { content: "open the rep's report", trigger: `.o_data_row:contains('${REP}') td[name=user_id]`, run: "click" },
        ...headerButton("action_approve", w.approve),
        { content: "nothing else waits: back to the list", trigger: ".o_list_view .o_view_nocontent" },
    ],
    director_overview: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_org_root", "sales_team_org.menu_sales_org_chart"),
        { content: "the org chart", trigger: `.o_breadcrumb:contains('${w.orgChart}')` },
        { content: "the head office heads the chart", trigger: ".o_hierarchy_node:contains('T HQ')" },
        {
            content: "open the board",
            trigger: ".o_menu_sections button[data-menu-xmlid='sales_team_org.menu_sales_daily_root']",
            run: "click",
        },
        {
            content: "who has not submitted",
            trigger: ".dropdown-item[data-menu-xmlid='sales_team_org.menu_sales_daily_report_status']",
            run: "click",
        },
        { content: "the board", trigger: `.o_breadcrumb:contains('${w.notSubmitted}')` },
        { content: "open a unit", trigger: ".o_group_header:contains('T Shanghai Phone')", run: "click" },
        {
            content: "the supervisor has not written today's report",
            trigger: `.o_data_row:contains('T_Supervisor'):contains('${w.missing}')`,
        },
    ],
    manager_submits_summary: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_monthly_summaries"),
        { content: "open my summary", trigger: ".o_data_row td[name=user_id]", run: "click" },
        {
            content: "the month's results",
            trigger: ".o_field_widget[name=results] .odoo-editor-editable",
            run: "editor 新签客户 12 家，回款 80%。",
        },
        ...headerButton("action_submit", w.submit),
        statusIs(w.submitted),
    ],
    regional_approves_summary: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_monthly_summaries"),
        {
            content: "not only my own summaries",
            trigger: `.o_searchview_facet:contains('${w.mySummaries}') .o_facet_remove`,
            run: "click",
        },
        {
            content: "open the manager's summary",
            trigger: ".o_data_row:contains('T_Manager') td[name=user_id]",
            run: "click",
        },
        { content: "read the results", trigger: ".o_field_widget[name=results]:contains('回款 80%')" },
        ...headerButton("action_approve", w.approve),
        { content: "nothing else waits: back to the list", trigger: ".o_list_view .o_view_nocontent" },
    ],
};

registerTours(TOURS, WORDS);
