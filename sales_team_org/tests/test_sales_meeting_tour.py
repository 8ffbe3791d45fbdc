from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import SalesOrgCommon

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestSalesMeetingTour(HttpCase, SalesOrgCommon):
    """On a phone, the unit manager writes this week's minutes and confirms them
    (static/tests/tours/sales_meeting_tour.js)."""

    def test_manager_writes_and_confirms_the_minutes_on_a_phone(self):
        self.work_every_day()
        self.env["crm.team"].search([("meeting_weekday", "!=", False)]).meeting_weekday = False
        self.east_business.write({"meeting_weekday": "0", "meeting_hour": 10.0})
        company = self.env.company
        today = company._sales_org_today()
        meeting = self.env["sales.meeting"]._prepare_meetings(company, today - timedelta(days=today.weekday()))
        self.browser_size = PHONE
        self.touch_enabled = True
        self.speak_chinese()
        self.start_tour("/odoo", "sales_team_org_meeting_minutes_zh_CN", login="t_manager")
        self.assertEqual(meeting.state, "confirmed")
        self.assertEqual(meeting.confirmed_by_id, self.manager)
        self.assertEqual(meeting.attendee_ids.filtered(lambda a: a.user_id == self.clerk_east).attendance, "absent")
        self.assertRecordValues(meeting.problem_ids, [
            {"problem": "客户嫌交期太长", "solution": "请工厂给出书面交期承诺"}])
        self.assertRecordValues(meeting.action_ids, [{"name": "寄送样品并报价", "user_id": self.clerk_east.id}])
