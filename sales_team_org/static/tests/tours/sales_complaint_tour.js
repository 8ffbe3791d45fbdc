/** @odoo-module **/
// 客户投诉: the rep logs a complaint from a call of today's report on the phone; the leader of
// the customer service unit starts it, adds a corrective action, marks it done, fills the root
// cause, the resolution and the customer's satisfaction and closes it.

import { desktopMenu, phoneTodaysReport, registerTours } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

// the steps name fields and buttons, not words: the same in every language
const WORDS = { en_US: {}, zh_CN: {} };

const SERVICE = "sales_team_org.menu_sales_customer_service_root";

function stateIs(state) {
    return {
        content: `the complaint is ${state}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`,
    };
}

const TOURS = {
    complaint_log_phone: () => [
        ...phoneTodaysReport(),
        {
            content: "the call where the customer complained",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:contains('Gate noise')",
            run: "click",
        },
        {
            content: "log the complaint",
            trigger: ".modal .o_form_view button[name=action_log_complaint]",
            run: "click",
        },
        {
            content: "the customer comes from the call",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(T Customer)",
        },
        {
            content: "what it is about",
            trigger: ".o_form_view .o_field_widget[name=category_id] input",
            run: "click",
        },
        { trigger: ".modal .o_kanban_record:contains('T Gate Noise')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=category_id] input:value(T Gate Noise)" },
        {
            content: "serious",
            trigger: ".o_form_view .o_field_widget[name=severity] input[data-value=high]",
            run: "click",
        },
        {
            content: "the amount claimed",
            trigger: ".o_form_view .o_field_widget[name=claim_amount] input",
            run: "edit 800",
        },
        {
            content: "submit",
            trigger: ".o_form_sheet div[name=phone_buttons] button[name=action_submit]:visible",
            run: "click",
        },
        stateIs("open"),
    ],
    complaint_close: () => [
        ...desktopMenu(SERVICE, "sales_team_org.menu_sales_complaints"),
        {
            content: "the rep's complaint",
            trigger: ".o_list_view .o_data_row:contains('T Customer') td[name=partner_id]",
            run: "click",
        },
        stateIs("open"),
        {
            content: "start",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_start]",
            run: "click",
        },
        stateIs("in_progress"),
        {
            content: "the handling",
            trigger: ".o_form_view .o_notebook .nav-link[name=handling]",
            run: "click",
        },
        {
            content: "add a corrective action",
            trigger: ".o_field_widget[name=action_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "what is to be done",
            trigger: ".o_field_widget[name=action_ids] .o_selected_row .o_field_widget[name=description] textarea",
            run: "edit Replace the motor",
        },
        {
            content: "save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "done",
            trigger: ".o_field_widget[name=action_ids] .o_data_row:contains('Replace the motor') button[name=action_done]",
            run: "click",
        },
        {
            content: "the action is done",
            trigger: ".o_field_widget[name=action_ids] .o_data_row:contains('Replace the motor'):not(:has(button[name=action_done]))",
        },
        {
            content: "why it happened",
            trigger: ".o_form_view .o_field_widget[name=root_cause] textarea",
            run: "edit A faulty batch of motors",
        },
        {
            content: "how it was settled",
            trigger: ".o_form_view .o_field_widget[name=resolution] textarea",
            run: "edit Motor replaced, remote tuned",
        },
        {
            content: "the customer is satisfied",
            trigger: ".o_form_view .o_field_widget[name=satisfaction] .o_priority_star:eq(3)",
            run: "click",
        },
        {
            content: "close",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_close]",
            run: "click",
        },
        stateIs("closed"),
    ],
};

registerTours(TOURS, WORDS);
