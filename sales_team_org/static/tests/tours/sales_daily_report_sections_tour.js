/** @odoo-module **/
// The daily report's template on a phone: the rep opens today's report from the menu, writes
// what needs coordinating under its section and submits. Registered once per language.

import { phoneTodaysReport, registerTours, statusIs } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { submitted: "Submitted", coordination: "Needs Coordination", text: "Hengda asks for 3% off" },
    zh_CN: { submitted: "已提交", coordination: "需协调", text: "恒达要求再降 3%，请经理定价" },
};

const TOURS = {
    rep_fills_sections: (w) => [
        ...phoneTodaysReport(),
        {
            content: "the sales diary, with the sections of the rep's role",
            trigger: ".o_form_view .o_notebook_headers a[name=diary]",
            run: "click",
        },
        {
            content: "open the section to write it",
            trigger: `.o_field_widget[name=answer_ids] .o_kanban_record:contains('${w.coordination}')`,
            run: "click",
        },
        {
            content: "what needs coordinating",
            trigger: ".modal .o_field_widget[name=body] textarea",
            run: `edit ${w.text}`,
        },
        { content: "keep it", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the section shows what was written",
            trigger: `body:not(:has(.modal)) .o_field_widget[name=answer_ids] .o_kanban_record:contains('${w.text}')`,
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
