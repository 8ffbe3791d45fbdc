from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytz

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesOrgCommon


class VisitCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["sales.visit"]
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.today = cls.env.company._sales_org_today()
        cls.activity_type = cls.env.ref("sales_team_org.mail_activity_type_customer_visit")

    def at(self, day, hour):
        """UTC of `hour` o'clock in Shanghai on `day`, as stored."""
        local = pytz.timezone("Asia/Shanghai").localize(datetime.combine(day, time(hour)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def make_visit(self, author=None, day=None, hosts=None, **values):
        day = day or self.today - timedelta(days=1)
        return self.Visit.with_user(author or self.clerk_east).create({
            "partner_id": self.customer.id, "visitor_names": "Mr Wang, Ms Li", "visitor_count": 2,
            "purpose": "Inspect the gates", "date_start": self.at(day, 9), "date_end": self.at(day, 17),
            "host_ids": [Command.set((hosts if hosts is not None else self.manager | self.regional_east).ids)],
            **values,
        })

    def host_activities(self, visit):
        return visit.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == self.activity_type)

    @contextmanager
    def refused(self, error, message=""):
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield


@tagged("post_install", "-at_install")
class TestSalesVisit(VisitCommon):
    """客户来访接待: a customer's visit, its hosts (followers, an activity on its day), the day's
    report of the person who recorded it, received or cancelled."""

    def test_recorded_hosted_received(self):
        day = self.today - timedelta(days=1)
        form = Form(self.Visit.with_user(self.clerk_east))
        form.partner_id = self.customer
        form.visitor_names = "Mr Wang"
        form.purpose = "Factory tour"
        form.date_start = self.at(day, 9)
        form.date_end = self.at(day, 16)
        form.factory_tour = True
        form.lodging_arranged = True
        form.lodging_note = "Jinjiang hotel, one night"
        form.host_ids.add(self.manager)
        visit = form.save()
        self.assertEqual((visit.state, visit.user_id, visit.team_id), ("planned", self.clerk_east, self.east_business))
        self.assertIn(self.manager.partner_id, visit.message_partner_ids, "the hosts follow the visit")
        activity = self.host_activities(visit)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(activity.date_deadline, day, "on the visit's day, in the company's time zone")

        # the hosts change: the activities follow
        visit.host_ids = [Command.set((self.regional_east | self.manager).ids)]
        visit.date_start = self.at(day - timedelta(days=1), 23)  # the day before, local time
        self.assertEqual(sorted(self.host_activities(visit).user_id.ids), sorted((self.regional_east | self.manager).ids))
        self.assertEqual(set(self.host_activities(visit).mapped("date_deadline")), {day - timedelta(days=1)})
        visit.host_ids = [Command.unlink(self.manager.id)]
        self.assertEqual(self.host_activities(visit).user_id, self.regional_east)

        # the day's report of the clerk
        self.assertFalse(visit.daily_report_id)
        with self.refused(UserError, "no daily report"):
            visit.action_open_daily_report()
        report = self.env["sales.daily.report"].with_user(self.clerk_east).create({"date": day - timedelta(days=1)})
        visit.invalidate_recordset(["daily_report_id"])
        self.assertEqual(visit.daily_report_id, report)
        self.assertEqual(visit.action_open_daily_report()["res_id"], report.id)

        visit.outcome = "Quotation for 12 gates within 3 days"
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertFalse(self.host_activities(visit), "the hosts' activities are closed")
        visit.outcome = "Ordered 12 gates"  # what came of it is written afterwards too
        with self.refused(UserError, "stays as it was recorded"):
            visit.purpose = "Something else"
        with self.refused(UserError, "cannot be done now"):
            visit.action_cancel()

    def test_dates_and_counts_checked(self):
        before = self.Visit.search_count([])
        day = self.today - timedelta(days=1)
        with self.refused(ValidationError, "leave"):
            self.make_visit(date_end=self.at(day, 8))
        with self.refused(ValidationError, "leave"):
            self.make_visit(date_end=self.at(day, 9))
        with self.refused(ValidationError, "at least one visitor"):
            self.make_visit(visitor_count=0)
        self.assertEqual(self.Visit.search_count([]), before)
        visit = self.make_visit()
        with self.refused(ValidationError, "leave"):
            visit.date_end = self.at(day, 7)
        self.assertEqual(visit.date_end, self.at(day, 17))
        portal = new_test_user(self.env, login="t_visit_portal", groups="base.group_portal")
        with self.refused(ValidationError, "own people"):
            visit.host_ids = [Command.link(portal.id)]

    def test_received_once_they_have_come(self):
        visit = self.make_visit(day=self.today + timedelta(days=3))
        with self.refused(UserError, "once they have come"):
            visit.action_done()
        self.assertEqual(len(self.host_activities(visit)), 2)
        visit.action_cancel()
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(self.host_activities(visit))
        with self.refused(UserError):
            visit.outcome = "Came after all"

    def test_workflow_fields_not_by_hand(self):
        with self.refused(AccessError, "workflow"):
            self.make_visit(state="done")
        with self.refused(AccessError, "their own"):
            self.make_visit(user_id=self.rep_shanghai.id)
        with self.refused(ValidationError, "not a unit of"):
            self.make_visit(team_id=self.north.id)
        visit = self.make_visit()
        for values in ({"state": "done"}, {"user_id": self.manager.id}, {"company_id": self.env.company.id},
                       {"daily_report_line_id": False}):
            with self.refused(AccessError):
                visit.write(values)
        visit.unlink()  # a planned visit that will not happen may go
        received = self.make_visit()
        received.action_done()
        with self.refused(UserError, "received stays on record"):
            received.unlink()

    def test_logged_from_a_call_of_ones_own_report(self):
        report = self.env["sales.daily.report"].with_user(self.clerk_east).create({
            "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Will visit", "channel": "phone"})]})
        visit = self.make_visit(daily_report_line_id=report.line_ids.id)
        self.assertEqual(visit.daily_report_line_id, report.line_ids)
        other = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Will visit"})]})
        with self.refused(ValidationError, "own daily report"):
            self.make_visit(daily_report_line_id=other.line_ids.id)

    def test_customer_form_counts(self):
        self.make_visit()
        self.make_visit(author=self.rep_shanghai, hosts=self.env["res.users"])
        contact = self.env["res.partner"].create({"name": "T Contact", "parent_id": self.customer.id})
        self.make_visit().partner_id = contact
        self.assertEqual(self.customer.with_user(self.clerk_east).sales_visit_count, 2)
        self.assertEqual(self.customer.with_user(self.manager).sales_visit_count, 3)


@tagged("post_install", "-at_install")
class TestSalesVisitAccess(VisitCommon):

    def test_the_unit_and_its_leaders_read(self):
        colleague = new_test_user(self.env, login="t_visit_colleague", groups="base.group_user", name="T Colleague")
        self.env["crm.team.member"].create({"crm_team_id": self.east_business.id, "user_id": colleague.id,
                                            "role_id": self.role_clerk.id})
        # a host of another unit could not open the visit their activity is on: refused (from the review)
        with self.refused(ValidationError, "cannot open the visit"):
            self.make_visit(hosts=self.rep_north)
        visit = self.make_visit(hosts=colleague)
        readers = self.clerk_east | colleague | self.manager | self.regional_east | self.director
        for person in self.people | colleague:
            with self.subTest(person=person.name):
                self.assertEqual(bool(self.Visit.with_user(person).search([("id", "=", visit.id)])),
                                 person in readers)
        activity = self.host_activities(visit)
        self.assertEqual(activity.user_id, colleague)
        activity.with_user(colleague).action_feedback(feedback="Met them at the gate")
        for person in colleague | self.manager | self.director:
            with self.subTest(writer=person.name), self.refused(AccessError):
                visit.with_user(person).write({"outcome": "Mine"})
            with self.subTest(closer=person.name), self.refused(AccessError):
                visit.with_user(person).action_done()
        self.assertEqual(visit.state, "planned")

    def test_other_company(self):
        company_b = self.env["res.company"].create({"name": "T Company B"})
        outsider = new_test_user(self.env, login="t_visit_outsider", groups="sales_team.group_sale_salesman_all_leads",
                                 company_id=company_b.id, company_ids=[Command.set(company_b.ids)])
        visit = self.make_visit()
        self.assertFalse(self.Visit.with_user(outsider).search([("id", "=", visit.id)]))
