from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .test_sales_meeting_action import MeetingActionCommon

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestSalesMeetingActionTour(HttpCase, MeetingActionCommon):
    """On a phone, the owner of an action item closes it from their activities
    (static/tests/tours/sales_meeting_action_tour.js)."""

    def test_owner_closes_an_item_on_a_phone(self):
        self.browser_size = PHONE
        self.touch_enabled = True
        self.speak_chinese()  # as the company's reps and leaders use it
        item = self.item(self.meeting_now, deadline=self.env.company._sales_org_today() + timedelta(days=2))
        self.item(self.meeting_now, owner=self.clerk_east, name="Someone else's item")
        self.start_tour("/odoo", "sales_team_org_meeting_action_done_zh_CN", login="t_rep_shanghai")
        self.assertRecordValues(item, [{"state": "done", "done_date": self.env.company._sales_org_today()}])
        self.assertFalse(item.activity_ids)
        self.assertFalse(item.activity_id.active)
