/** @odoo-module **/
// On a phone, a rep asks for a business trip (why, when, whom to visit, the transport cost) and
// submits it; then the manager finds it under Business Trips and approves it.

import { phoneMenu, registerTours, statusIs } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

// the tests run the 简体中文 variant (the English words are checked against zh_CN.po)
const WORDS = {
    en_US: { submitted: "Submitted", approved: "Approved", transport: "Transport" },
    zh_CN: { submitted: "已提交", approved: "已批准", transport: "交通" },
};

const TOURS = {
    business_trip_request: (w) => [
        ...phoneMenu("sales_team_org.menu_sales_business_trips"),
        {
            content: "a new trip",
            trigger: ".o_action_manager:has(.o_sales_business_trip_kanban) .o_control_panel button.o-kanban-button-new",
            run: "click",
        },
        {
            content: "why",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Visit the customers of Suzhou",
        },
        { content: "leaves in two days", trigger: ".o_field_widget[name=date_start] input", run: "edit +2" },
        { content: "back two days later", trigger: ".o_field_widget[name=date_end] input", run: "edit +4" },
        { content: "where", trigger: ".o_field_widget[name=cities] input", run: "edit Suzhou" },
        {
            content: "add a visit",
            trigger: ".o_field_widget[name=visit_ids] .o-kanban-button-new",
            run: "click",
        },
        // on a phone, a many2one opens a search dialog
        { content: "the customer", trigger: ".modal .o_field_widget[name=partner_id] input", run: "click" },
        { trigger: ".modal .o_control_panel button:has(.fa-search)", run: "click" },
        { trigger: ".modal .o_searchview_input", run: "edit T Customer && press Enter" },
        { trigger: ".modal .o_kanban_record:contains('T Customer')", run: "click" },
        {
            content: "the customer is chosen",
            trigger: ".modal .o_field_widget[name=partner_id] input:value(T Customer)",
        },
        {
            content: "what for",
            trigger: ".modal .o_field_widget[name=purpose] input",
            run: "edit Show the new gate",
        },
        { content: "keep the visit", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the visit is on the trip",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=visit_ids] .o_kanban_record:contains('Show the new gate')",
        },
        { content: "the costs", trigger: ".o_notebook_headers .nav-link[name=costs]", run: "click" },
        {
            content: "the transport",
            trigger: `.o_field_widget[name=cost_ids] .o_kanban_record:contains('${w.transport}')`,
            run: "click",
        },
        {
            content: "what it will cost",
            trigger: ".modal .o_field_widget[name=expected_amount] input",
            run: "edit 600",
        },
        { content: "keep the cost", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the budget follows",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=budget]:contains('600')",
        },
        {
            content: "submit",
            trigger: ".o_form_sheet button[name=action_submit]:visible",
            run: "click",
        },
        statusIs(w.submitted),
    ],
    business_trip_approval: (w) => [
        ...phoneMenu("sales_team_org.menu_sales_business_trips"),
        {
            content: "the rep's trip, among those of the units led",
            trigger: ".o_sales_business_trip_kanban .o_kanban_record:contains('Visit the customers of Suzhou')",
            run: "click",
        },
        statusIs(w.submitted),
        {
            content: "the visit to approve",
            trigger: ".o_field_widget[name=visit_ids] .o_kanban_record:contains('Show the new gate')",
        },
        {
            content: "approve",
            trigger: ".o_form_sheet button[name=action_approve]:visible",
            run: "click",
        },
        statusIs(w.approved),
    ],
};

registerTours(TOURS, WORDS);
