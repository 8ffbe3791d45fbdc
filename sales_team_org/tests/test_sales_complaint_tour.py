from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SalesOrgCommon

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestSalesComplaintTour(HttpCase, SalesOrgCommon):
    """In 简体中文, the rep logs a complaint from a call of today's report on the phone; the
    leader of the customer service unit works it at the desk with a corrective action and closes
    it (static/tests/tours/sales_complaint_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()
        cls.service_leader = new_test_user(cls.env, login="t_service_leader", groups="base.group_user",
                                           name="T Service Leader", tz="Asia/Shanghai")
        cls.service = cls.env["crm.team"].create({
            "name": "T Customer Service", "unit_type": "service", "parent_id": cls.hq.id,
            "user_id": cls.service_leader.id,
        })
        cls.env["crm.team.member"].create({"crm_team_id": cls.service.id, "user_id": cls.service_leader.id,
                                           "role_id": cls.role_supervisor.id})
        cls.people |= cls.service_leader
        cls.category = cls.env["sales.complaint.category"].create({"name": "T Gate Noise"})
        cls.customer.is_company = True

    def setUp(self):
        super().setUp()
        self.speak_chinese()
        self.report = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "date": self.env.company._sales_org_today(),
            "line_ids": [Command.create({"partner_id": self.customer.id, "contact_name": "Mr Wang",
                                         "subject": "Gate noise"})],
        })

    def complaint(self):
        return self.env["sales.complaint"].search([("partner_id", "=", self.customer.id)])

    def test_rep_logs_on_the_phone_service_leader_closes(self):
        self.browser_size = PHONE
        self.touch_enabled = True
        self.start_tour("/odoo", "sales_team_org_complaint_log_phone_zh_CN", login="t_rep_shanghai")
        complaint = self.complaint()
        self.assertRecordValues(complaint, [{
            "user_id": self.rep_shanghai.id, "team_id": self.shanghai.id, "state": "open",
            "daily_report_line_id": self.report.line_ids.id, "contact_name": "Mr Wang",
            "category_id": self.category.id, "severity": "high", "claim_amount": 800,
            "service_team_id": self.service.id, "responsible_id": self.service_leader.id,
        }])

        self.browser_size = "1440x900"
        self.touch_enabled = False
        self.start_tour("/odoo", "sales_team_org_complaint_close_zh_CN", login="t_service_leader")
        self.assertRecordValues(complaint, [{
            "state": "closed", "root_cause": "A faulty batch of motors", "resolution": "Motor replaced, remote tuned",
            "close_date": self.env.company._sales_org_today(),
        }])
        self.assertTrue(complaint.satisfaction)
        self.assertRecordValues(complaint.action_ids, [{
            "kind": "corrective", "description": "Replace the motor", "owner_id": self.service_leader.id,
            "state": "done",
        }])
        self.assertFalse(complaint.activity_ids, "the activities are done")
