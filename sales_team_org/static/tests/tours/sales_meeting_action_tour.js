/** @odoo-module **/
// On a phone, the owner of an action item of the weekly meeting finds it among their activities
// (the systray's clock), opens it and marks its activity done: the item is done with it.

import { registerTours } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

// the steps name no words: the tests run the 简体中文 variant
const WORDS = { en_US: {}, zh_CN: {} };

const ITEM = "Send the quotation to T Customer";

const TOURS = {
    meeting_action_done: () => [
        {
            content: "my activities",
            trigger: ".o_menu_systray .fa-clock-o",
            run: "click",
        },
        {
            content: "the action items among them",
            trigger: ".o-mail-ActivityGroup[data-model_name='sales.meeting.action']",
            run: "click",
        },
        {
            content: "open my item",
            trigger: `.o_kanban_record:contains('${ITEM}'), .o_data_row:contains('${ITEM}') td.o_data_cell`,
            run: "click",
        },
        {
            content: "its activity: mark it done",
            trigger: `.o-mail-Activity:contains('${ITEM}') .o-mail-Activity-markDone`,
            run: "click",
        },
        {
            content: "done",
            trigger: ".o-mail-ActivityMarkAsDone button.btn-primary.mx-2",
            run: "click",
        },
        {
            // the server closes the item with its activity (checked by the test)
            content: "nothing left to do on it",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity)) .o-mail-Message",
        },
    ],
};

registerTours(TOURS, WORDS);
