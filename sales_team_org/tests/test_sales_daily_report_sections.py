from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon

PHONE = "390x844"


class SalesDailyReportSectionsCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.daily.report"]
        cls.done = cls.env.ref("sales_team_org.daily_report_section_done")
        cls.not_done = cls.env.ref("sales_team_org.daily_report_section_not_done")
        cls.coordination = cls.env.ref("sales_team_org.daily_report_section_coordination")
        cls.tomorrow = cls.env.ref("sales_team_org.daily_report_section_tomorrow")
        cls.template = cls.done | cls.not_done | cls.coordination | cls.tomorrow


@tagged("post_install", "-at_install")
class TestSalesDailyReportSections(SalesDailyReportSectionsCommon):
    """今日完成 / 未完成 / 需协调 / 明日计划: the template of the author's role in the report's unit,
    answered by the author while the report is theirs, before the diary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # reps keep the whole template (the default); clerks answer two sections; supervisors none
        cls.role_clerk.report_section_ids = cls.done | cls.coordination
        cls.role_supervisor.report_section_ids = False

    def answers(self, report):
        return {answer.section_id: answer.body for answer in report.answer_ids}

    def test_a_new_role_answers_the_whole_template(self):
        role = self.env["sales.org.role"].create({"name": "Inside Sales", "code": "T-IS"})
        self.assertEqual(role.report_section_ids, self.template)
        self.assertEqual(self.role_rep.report_section_ids, self.template)

    def test_sections_follow_the_role(self):
        rep_report = self.Report.with_user(self.rep_shanghai).create({})
        self.assertEqual(rep_report.answer_ids.section_id, self.template)
        self.assertEqual(rep_report.answer_ids.mapped("section_id.name"),
                         ["Done Today", "Not Done", "Needs Coordination", "Plan for Tomorrow"])
        self.assertFalse(any(rep_report.answer_ids.mapped("body")), "empty, to be written")
        self.assertEqual(rep_report.answer_ids.user_id, self.rep_shanghai)
        clerk_report = self.Report.with_user(self.clerk_east).create({})
        self.assertEqual(clerk_report.answer_ids.mapped("section_id"), self.done | self.coordination)
        self.assertFalse(self.Report.with_user(self.supervisor).create({}).answer_ids, "a role without sections")
        # an archived section is no longer asked for
        self.tomorrow.active = False
        self.assertEqual(self.Report.with_user(self.rep_north).create({}).answer_ids.section_id,
                         self.done | self.not_done | self.coordination)

    def test_the_form_shows_the_sections_before_saving(self):
        with Form(self.Report.with_user(self.clerk_east)) as form:
            self.assertEqual(len(form.answer_ids), 2)
            with form.answer_ids.edit(1) as answer:
                self.assertEqual(answer.section_id, self.coordination)
                answer.body = "The customer wants 3% off: the manager decides."
        report = form.record
        self.assertEqual(self.answers(report), {
            self.done: False, self.coordination: "The customer wants 3% off: the manager decides.",
        })

    def test_change_of_unit_while_draft_adds_the_missing_sections(self):
        # the clerk also sells in the North region, as a rep there
        self.env["ir.config_parameter"].sudo().set_param("sales_team.membership_multi", True)
        self.env["crm.team.member"].create({
            "crm_team_id": self.north.id, "user_id": self.clerk_east.id, "role_id": self.role_rep.id,
        })
        report = self.Report.with_user(self.clerk_east).create({"team_id": self.east_business.id})
        coordination = report.answer_ids.filtered(lambda answer: answer.section_id == self.coordination)
        coordination.body = "Samples for the school"
        report.team_id = self.north
        self.assertEqual(report.answer_ids.section_id, self.template)
        self.assertEqual(coordination.body, "Samples for the school", "what is written stays")
        report.team_id = self.east_business
        self.assertEqual(report.answer_ids.section_id, self.template, "nothing is removed")
        with Form(report) as form:  # the form shows them as soon as the unit changes
            form.team_id = self.north
            self.assertEqual(len(form.answer_ids), 4)
        # a report no longer a draft gets nothing more
        submitted = self.Report.with_user(self.rep_north).create({})
        submitted.answer_ids.unlink()
        submitted.action_submit()
        submitted.sudo().team_id = self.north
        self.assertFalse(submitted.answer_ids)

    def test_the_author_writes_the_bodies_while_the_report_is_theirs(self):
        report = self.Report.with_user(self.rep_shanghai).create({})
        done = report.answer_ids.filtered(lambda answer: answer.section_id == self.done)
        done.body = "Two quotations sent"
        report.write({"answer_ids": [Command.update(report.answer_ids[2].id, {"body": "Price for Hengda"})]})
        self.assertEqual(self.answers(report)[self.coordination], "Price for Hengda")
        # the leader reads them, never writes them
        as_leader = report.with_user(self.supervisor)
        self.assertEqual(as_leader.answer_ids.mapped("body")[0], "Two quotations sent")
        with self.assertRaises(AccessError):
            as_leader.answer_ids[0].body = "Written by the supervisor"
        with self.assertRaises(AccessError):
            as_leader.write({"answer_ids": [Command.update(report.answer_ids[0].id, {"body": "Changed"})]})
        # another rep does not even read them
        with self.assertRaises(AccessError):
            done.with_user(self.rep_north).read(["body"])
        # submitted: frozen, for its author too
        report.action_submit()
        with self.assertRaises(UserError):
            done.body = "Changed after submitting"
        with self.assertRaises(UserError):
            done.unlink()
        with self.assertRaises(UserError):
            report.write({"answer_ids": [Command.update(done.id, {"body": "Changed"})]})
        with self.assertRaises(AccessError):
            report.with_user(self.supervisor).answer_ids[0].body = "Reviewed"
        self.assertEqual(done.body, "Two quotations sent")
        # returned: the author's again
        report.with_user(self.supervisor).write({"review_comment": "Which quotations?"})
        report.with_user(self.supervisor).action_return()
        done.body = "Two quotations sent: Hengda and Jiahe"
        self.assertEqual(done.body, "Two quotations sent: Hengda and Jiahe")

    def test_an_answer_stays_under_its_section_of_its_report(self):
        report = self.Report.with_user(self.rep_shanghai).create({})
        other = self.Report.with_user(self.rep_shanghai).create({"date": "2026-01-05"})
        done = report.answer_ids.filtered(lambda answer: answer.section_id == self.done)
        for values in ({"section_id": self.tomorrow.id}, {"report_id": other.id}):
            with self.subTest(values=values):
                with self.assertRaisesRegex(UserError, "cannot change"):
                    done.write(values)
                with self.assertRaisesRegex(UserError, "cannot change"):
                    done.sudo().write(values)
        done.write({"section_id": self.done.id, "report_id": report.id, "body": "Same place"})  # as a client resends them
        self.assertEqual((done.section_id, done.report_id, done.body), (self.done, report, "Same place"))
        # the author, day, company and order follow the report and the section
        for values in ({"user_id": self.rep_north.id}, {"sequence": 1}, {"date": "2026-01-05"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                done.write(values)

    def test_answers_only_on_ones_own_draft(self):
        own = self.Report.with_user(self.rep_shanghai).create({})
        north = self.Report.with_user(self.rep_north).create({})
        Answer = self.env["sales.daily.report.answer"]
        north.answer_ids.unlink()
        with self.assertRaises(AccessError):  # someone else's report, out of sight
            Answer.with_user(self.rep_shanghai).create({"report_id": north.id, "section_id": self.done.id})
        own.answer_ids.unlink()
        with self.assertRaises(AccessError):  # a leader's, on the report of someone they lead
            Answer.with_user(self.supervisor).create({"report_id": own.id, "section_id": self.done.id})
        with self.assertRaises(AccessError):
            Answer.with_user(self.rep_shanghai).create({
                "report_id": own.id, "section_id": self.done.id, "user_id": self.rep_north.id})
        # given empty, the report's author, day and company are still the report's
        mine = Answer.with_user(self.rep_shanghai).create({
            "report_id": own.id, "section_id": self.done.id, "body": "Mine",
            "user_id": False, "date": False, "company_id": False})
        self.assertRecordValues(mine, [{"user_id": self.rep_shanghai.id, "date": own.date,
                                        "company_id": own.company_id.id}])
        own.action_submit()
        with self.assertRaises(UserError):
            Answer.with_user(self.rep_shanghai).create({"report_id": own.id, "section_id": self.tomorrow.id})
        self.assertEqual(own.answer_ids.mapped("body"), ["Mine"])
        self.assertFalse(north.answer_ids)

    @mute_logger("odoo.sql_db")
    def test_one_answer_per_section(self):
        report = self.Report.with_user(self.rep_shanghai).create({})
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["sales.daily.report.answer"].with_user(self.rep_shanghai).create({
                "report_id": report.id, "section_id": self.done.id, "body": "Twice"})
            self.env.flush_all()

    def test_a_section_in_use_is_archived_not_deleted(self):
        self.Report.with_user(self.rep_shanghai).create({})
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.tomorrow.unlink()
        unused = self.env["sales.daily.report.section"].create({"name": "Competitors"})
        unused.unlink()

    def grow(self, people, prefix):
        users = self.env["res.users"].create([
            {"name": f"Grown {i}", "login": f"t_sections_{prefix}_{i}"} for i in range(people)
        ])
        units = self.env["crm.team"].create([
            {"name": f"Grown unit {i}", "parent_id": self.shanghai.id} for i in range(max(people // 5, 1))
        ])
        self.env["crm.team.member"].create([
            {"crm_team_id": units[i % len(units)].id, "user_id": user.id, "role_id": self.role_rep.id}
            for i, user in enumerate(users)
        ])
        return users

    def test_batched_creation_does_not_grow_with_the_people(self):
        """The reminder's and 催交's drafts, for many people at once: the same queries for 10 or 40."""
        day = self.env.company._sales_org_today()
        for people in (10, 40):
            with self.subTest(people=people), self.env.cr.savepoint() as savepoint:
                users = self.grow(people, people)
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(15):
                    reports = self.Report._bulk_create([
                        {"user_id": user.id, "date": day, "company_id": self.env.company.id} for user in users
                    ])
                    self.env.flush_all()
                self.assertEqual(len(reports.answer_ids), 4 * people)
                self.assertEqual(reports[-1].answer_ids.section_id, self.template)
                savepoint.rollback()

    def test_pdf_prints_the_answered_sections_before_the_diary(self):
        report = self.Report.with_user(self.rep_shanghai).create({"diary": "<p>A long day.</p>"})
        report.answer_ids.filtered(lambda answer: answer.section_id == self.done).body = "Quoted Hengda"
        report.answer_ids.filtered(lambda answer: answer.section_id == self.coordination).body = \
            "3% off?\nThe manager decides."
        html = self.env["ir.actions.report"].with_user(self.supervisor)._render_qweb_html(
            "sales_team_org.report_sales_daily_report", report.ids)[0].decode()
        self.assertLess(html.index("Done Today"), html.index("Quoted Hengda"))
        self.assertLess(html.index("Quoted Hengda"), html.index("Needs Coordination"))
        self.assertLess(html.index("Needs Coordination"), html.index("3% off?<br>\nThe manager decides."))
        self.assertLess(html.index("The manager decides."), html.index("Sales Diary"))
        self.assertLess(html.index("Sales Diary"), html.index("A long day."))
        self.assertNotIn("Not Done", html, "an empty section is not printed")
        self.assertNotIn("Plan for Tomorrow", html)


@tagged("post_install", "-at_install")
class TestSalesDailyReportSectionsTour(HttpCase, SalesDailyReportSectionsCommon):
    """In the browser, on a phone: the rep opens today's report from the menu, writes what needs
    coordinating and submits. Tour in static/tests/tours/sales_daily_report_sections_tour.js."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()

    def fill_and_submit(self, lang, text):
        self.browser_size = PHONE
        self.touch_enabled = True
        self.start_tour("/odoo", f"sales_team_org_rep_fills_sections_{lang}", login="t_rep_shanghai")
        report = self.Report.search([("user_id", "=", self.rep_shanghai.id)])
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.answer_ids.filtered(lambda answer: answer.section_id == self.coordination).body, text)
        self.assertEqual(report.answer_ids.section_id, self.template)
        self.assertFalse(any((report.answer_ids - report.answer_ids.filtered(
            lambda answer: answer.section_id == self.coordination)).mapped("body")))

    def test_rep_fills_sections_chinese(self):
        self.speak_chinese()
        self.fill_and_submit("zh_CN", "恒达要求再降 3%，请经理定价")
