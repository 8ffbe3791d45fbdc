/** @odoo-module **/
// On a phone, the unit manager opens this week's meeting, marks an attendee absent, records a
// problem with its solution and an action item, and confirms the minutes.

import { phoneMenu, registerTours } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

// the tests run the 简体中文 variant; the steps find the add-on's own fields by name and value
const WORDS = {
    en_US: {},
    zh_CN: {},
};

const TOURS = {
    meeting_minutes: () => [
        ...phoneMenu("sales_team_org.menu_sales_meetings"),
        {
            content: "this week's meeting of the unit",
            trigger: ".o_kanban_record:contains('T East Business')",
            run: "click",
        },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=draft]" },
        {
            content: "the clerk in the attendance",
            trigger: ".o_field_widget[name=attendee_ids] .o_kanban_record:contains('T_Clerk_East')",
            run: "click",
        },
        {
            content: "absent",
            trigger: ".modal .o_field_widget[name=attendance] input[data-value=absent]",
            run: "click",
        },
        { content: "keep it", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the clerk is marked absent",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=attendee_ids] .o_kanban_record:contains('T_Clerk_East') .o_field_widget[name=is_present] input:not(:checked)",
        },
        { content: "the problems", trigger: ".o_notebook_headers .nav-link[name=problems]", run: "click" },
        {
            content: "add a problem",
            trigger: ".o_field_widget[name=problem_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "the problem",
            trigger: ".modal .o_field_widget[name=problem] textarea",
            run: "edit 客户嫌交期太长",
        },
        {
            content: "the solution agreed",
            trigger: ".modal .o_field_widget[name=solution] textarea",
            run: "edit 请工厂给出书面交期承诺",
        },
        { content: "keep it", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the problem is in the minutes",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=problem_ids] .o_kanban_record:contains('客户嫌交期太长')",
        },
        { content: "the action items", trigger: ".o_notebook_headers .nav-link[name=action_items]", run: "click" },
        {
            content: "add an action item",
            trigger: ".o_field_widget[name=action_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "what is to be done",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit 寄送样品并报价",
        },
        // on a phone, a many2one opens a search dialog
        { content: "the owner", trigger: ".modal .o_field_widget[name=user_id] input", run: "click" },
        { trigger: ".modal .o_control_panel button:has(.fa-search)", run: "click" },
        { trigger: ".modal .o_searchview_input", run: "edit T_Clerk_East && press Enter" },
        { trigger: ".modal .o_kanban_record:contains('T_Clerk_East')", run: "click" },
        {
            content: "the owner is chosen",
            trigger: ".modal .o_field_widget[name=user_id] input:value(T_Clerk_East)",
        },
        {
            content: "the deadline",
            trigger: ".modal .o_field_widget[name=date_deadline] input",
            run: "edit +7",
        },
        { content: "keep it", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the action item is in the minutes",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=action_ids] .o_kanban_record:contains('寄送样品并报价')",
        },
        {
            content: "confirm the minutes",
            trigger: ".o_form_sheet button[name=action_confirm]:visible",
            run: "click",
        },
        { content: "yes", trigger: ".modal .modal-footer .btn-primary", run: "click" },
        {
            content: "the minutes are confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=confirmed]",
        },
    ],
};

registerTours(TOURS, WORDS);
