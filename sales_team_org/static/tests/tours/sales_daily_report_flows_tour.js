/** @odoo-module **/
// Daily steps that used to fail: a leader classifies a customer from a line of a submitted
// report (desktop); a rep taps New and finds today's report instead of a second one, then
// submits it from the button in sight (phone). Registered once per language.

import {
    desktopMenu,
    phoneTodaysReport,
    registerTours,
    statusIs,
} from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { submitted: "Submitted", secondary: "Secondary Target" },
    zh_CN: { submitted: "已提交", secondary: "次攻客户" },
};

const REP = "T_Rep_Shanghai";

const TOURS = {
    manager_classifies_from_line: (w) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_daily_reports_review"),
        {
            content: "open the rep's report",
            trigger: `.o_data_row:contains('${REP}') td[name=user_id]`,
            run: "click",
        },
        statusIs(w.submitted),
        {
            content: "a submitted report offers no line to add or delete",
            trigger:
                ".o_field_widget[name=line_ids]:not(:has(.o_field_x2many_list_row_add)):not(:has(.o_list_record_remove))",
        },
        {
            content: "classify the customer of the call",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains('T Customer') button[name=action_classify_customer]",
            run: "click",
        },
        {
            content: "a secondary target",
            trigger: ".modal .o_field_widget[name=classification] input[data-value=secondary]",
            run: "click",
        },
        { content: "classify", trigger: ".modal button[name=action_apply]", run: "click" },
        {
            content: "the line shows the customer's new classification",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=line_ids] " +
                `.o_data_row:contains('T Customer') td[name=classification]:contains('${w.secondary}')`,
        },
        statusIs(w.submitted),
    ],
    rep_opens_todays_report: (w) => [
        ...phoneTodaysReport(),
        {
            content: "today's report opens, with the call written this morning",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_kanban_record:contains('Morning call')",
        },
        {
            content: "add a call",
            trigger: ".o_field_widget[name=line_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "what was discussed",
            trigger: ".modal .o_field_widget[name=subject] input",
            run: "edit Afternoon visit",
        },
        { content: "keep the call", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "both calls are on the report",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:contains('Afternoon visit')",
        },
        {
            content: "submit, in sight at the top of the report",
            trigger: ".o_form_sheet button[name=action_submit]:visible",
            run: "click",
        },
        statusIs(w.submitted),
    ],
};

registerTours(TOURS, WORDS);
