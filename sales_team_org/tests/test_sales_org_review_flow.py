from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SalesOrgCommon


class ReviewFlowCommon(SalesOrgCommon):
    """Reports of the Shanghai group, submitted to its supervisor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.daily.report"]
        cls.customer.is_company = True

    def add_reps(self, count):
        reps = self.env["res.users"].create([
            {"name": f"Review Rep {i}", "login": f"t_review_rep_{len(self.Report.search([]))}_{i}",
             "email": f"review{i}@example.com"}
            for i in range(count)
        ])
        self.env["crm.team.member"].create([
            {"crm_team_id": self.shanghai.id, "user_id": rep.id, "role_id": self.role_rep.id} for rep in reps
        ])
        return reps

    def submitted_reports(self, people):
        reports = self.Report
        for person in people:
            report = self.Report.with_user(person).create({"diary": "<p>Called.</p>"})
            report.action_submit()
            reports |= report
        return reports

    def snapshot(self, reports):
        return reports.read(["state", "reviewer_id", "review_date", "message_ids", "activity_ids"])


@tagged("post_install", "-at_install")
class TestSalesOrgReviewNotification(ReviewFlowCommon):
    """The approver is told at once, in their language, by inbox or e-mail as they chose."""

    def notifications_of(self, report, approver):
        return self.env["mail.notification"].search([
            ("res_partner_id", "=", approver.partner_id.id), ("mail_message_id.model", "=", report._name),
            ("mail_message_id.res_id", "=", report.id),
        ])

    def test_approver_notified_by_inbox_or_email(self):
        self.supervisor.notification_type = "inbox"
        report = self.submitted_reports(self.rep_shanghai)
        notification = self.notifications_of(report, self.supervisor)
        self.assertEqual(notification.notification_type, "inbox")
        message = notification.mail_message_id
        self.assertEqual(message.author_id, self.rep_shanghai.partner_id)
        self.assertEqual(message.partner_ids, self.supervisor.partner_id, "only the approver")
        self.assertIn(report.display_name, message.body)
        self.assertIn(report.display_name, message.subject)
        self.assertFalse(self.notifications_of(report, self.manager), "the leaders above are not disturbed")
        self.assertEqual(report.activity_ids.user_id, self.supervisor, "and the activity as before")

        self.clerk_east.notification_type = "inbox"
        self.manager.notification_type = "email"
        clerk_report = self.submitted_reports(self.clerk_east)
        self.assertEqual(self.notifications_of(clerk_report, self.manager).notification_type, "email")

    def test_in_the_approvers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "in", ["base", "sales_team_org"])])._update_translations(["zh_CN"])
        self.supervisor.lang = "zh_CN"
        report = self.submitted_reports(self.rep_shanghai)
        body = self.notifications_of(report, self.supervisor).mail_message_id.body
        chinese = self.env["ir.model"].with_context(lang="zh_CN")._get(report._name).display_name
        self.assertNotEqual(chinese, "Daily Sales Report")
        self.assertIn(chinese, body)

        self.manager.lang = "en_US"
        clerk_report = self.submitted_reports(self.clerk_east)
        self.assertIn("Daily Sales Report", self.notifications_of(clerk_report, self.manager).mail_message_id.body)

    def test_summary_approver_notified(self):
        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({"results": "<p>Done</p>"})
        summary.action_submit()
        self.assertTrue(self.notifications_of(summary, self.regional_east))

    def test_no_approver_no_notification(self):
        report = self.submitted_reports(self.director)
        self.assertFalse(report.approver_id)
        self.assertFalse(self.env["mail.notification"].search([("mail_message_id.res_id", "=", report.id),
                                                               ("mail_message_id.model", "=", report._name)]))


@tagged("post_install", "-at_install")
class TestSalesOrgReviewCounter(ReviewFlowCommon):
    """To Review counts what waits for the user in its title."""

    def test_count_in_title(self):
        Report = self.Report.with_user(self.supervisor)
        self.assertEqual(Report._action_open_to_review()["name"], "Reports to Review")
        self.submitted_reports(self.rep_shanghai | self.add_reps(2))
        action = Report._action_open_to_review()
        self.assertEqual((action["name"], action["display_name"]), ("Reports to Review (3)",) * 2)
        self.assertEqual(action["res_model"], "sales.daily.report")
        self.assertEqual(self.Report.with_user(self.manager)._action_open_to_review()["name"], "Reports to Review",
                         "waiting for the supervisor, not for the manager")


@tagged("post_install", "-at_install")
class TestSalesOrgBulkApprove(ReviewFlowCommon):
    """Several reports approved at once from the list: all or none."""

    def test_approve_selected(self):
        reports = self.submitted_reports(self.rep_shanghai | self.add_reps(2))
        self.assertIs(reports.with_user(self.supervisor).action_approve(), True)
        self.assertEqual(set(reports.mapped("state")), {"reviewed"})
        self.assertEqual(reports.reviewer_id, self.supervisor)
        self.assertFalse(reports.activity_ids)
        for report in reports:
            self.assertIn("Approved", report.message_ids[0].body)

    def test_refused_when_one_is_not_theirs_or_not_submitted(self):
        reps = self.add_reps(2)
        reports = self.submitted_reports(self.rep_shanghai | reps)
        north = self.submitted_reports(self.rep_north)
        draft = self.Report.with_user(self.clerk_east).create({})
        own = self.submitted_reports(self.supervisor)
        for intruder, error in ((north, AccessError), (draft, UserError), (own, AccessError)):
            with self.subTest(intruder=intruder.user_id.name):
                selection = (reports | intruder).with_user(self.supervisor if intruder != draft else self.manager)
                before = self.snapshot(reports | intruder)
                with self.assertRaises(error):
                    selection.action_approve()
                self.assertEqual(self.snapshot(reports | intruder), before, "nothing changed")
        with self.assertRaises(UserError) as refusal:
            (reports | draft).with_user(self.manager).action_approve()
        self.assertIn(draft.display_name, str(refusal.exception), "names the one that is not submitted")
        with self.assertRaises(AccessError):
            reports.with_user(reps[0]).action_approve()  # a peer
        self.assertEqual(set(reports.mapped("state")), {"submitted"})

    def test_query_count_does_not_grow(self):
        for size, queries in ((2, 33), (8, 33)):
            with self.subTest(size=size):
                reports = self.submitted_reports(self.add_reps(size)).with_user(self.supervisor)
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(queries):
                    reports.action_approve()
                    self.env.flush_all()
                self.assertEqual(set(reports.mapped("state")), {"reviewed"})


@tagged("post_install", "-at_install")
class TestSalesOrgNextReview(ReviewFlowCommon):
    """After a decision on the form, the next report waiting for the user, else the list."""

    def test_next_then_list(self):
        first, second = self.submitted_reports(self.rep_shanghai | self.add_reps(1))
        form = self.Report.with_user(self.supervisor).with_context(open_next_review=True)
        action = form.browse(first.id).action_approve()
        self.assertEqual((action["res_model"], action["res_id"], action["views"]),
                         ("sales.daily.report", second.id, [(False, "form")]))
        form.browse(second.id).review_comment = "Name the contact"
        action = form.browse(second.id).action_return()
        self.assertEqual(action["xml_id"], "sales_team_org.sales_daily_report_action_review")
        self.assertEqual(action["target"], "main")
        self.assertEqual((first.state, second.state), ("reviewed", "returned"))

    def test_summary_back_to_its_list(self):
        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({})
        summary.action_submit()
        action = summary.with_user(self.regional_east).with_context(open_next_review=True).action_approve()
        self.assertEqual(action["res_model"], "sales.monthly.summary")
        self.assertEqual(action["context"], {"search_default_to_review": 1})

    def test_without_the_form_context(self):
        report = self.submitted_reports(self.rep_shanghai)
        self.assertIs(report.with_user(self.supervisor).action_approve(), True)


@tagged("post_install", "-at_install")
class TestSalesOrgReadReceipt(ReviewFlowCommon):
    """The author sees when a leader first opened the submitted report."""

    def open_form(self, report, user):
        return report.with_user(user).web_read({"read_label": {}, "state": {}})[0]

    def test_first_reader_who_may_review(self):
        report = self.Report.with_user(self.rep_shanghai).create({})
        self.open_form(report, self.supervisor)
        self.assertFalse(report.read_date, "a draft is not read yet")
        report.action_submit()
        self.open_form(report, self.rep_shanghai)
        self.assertFalse(report.read_by_id, "its author's reading does not count")

        self.open_form(report, self.manager)  # a leader above the approver
        self.assertEqual(report.read_by_id, self.manager)
        first = report.read_date
        self.open_form(report, self.supervisor)
        self.assertEqual((report.read_by_id, report.read_date), (self.manager, first), "the first one stays")
        label = self.open_form(report, self.rep_shanghai)["read_label"]
        self.assertTrue(label.startswith("Read by T_Manager "), label)

        report.with_user(self.supervisor).review_comment = "More calls"
        report.with_user(self.supervisor).action_return()
        report.action_submit()
        self.assertFalse(report.read_by_id, "submitted again: not read yet")

    def test_list_reads_do_not_mark(self):
        report = self.submitted_reports(self.rep_shanghai)
        reports = report | self.submitted_reports(self.add_reps(1))
        reports.with_user(self.supervisor).web_read({"state": {}})
        self.Report.with_user(self.supervisor).web_search_read([], {"state": {}})
        self.Report.with_user(self.supervisor).web_search_read([("id", "=", report.id)], {"state": {}})
        self.assertFalse(reports.read_by_id)

    def test_nobody_writes_it(self):
        report = self.submitted_reports(self.rep_shanghai)
        for user in (self.rep_shanghai, self.supervisor):
            for values in ({"read_by_id": user.id}, {"read_date": "2026-11-24 06:03:00"}):
                with self.subTest(user=user.name, values=values), self.assertRaises(AccessError):
                    report.with_user(user).write(values)
        self.assertFalse(report.read_by_id)
