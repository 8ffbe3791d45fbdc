from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesOrgCommon


class TrainingCommon(SalesOrgCommon):
    """The clerk's programme (业务跟单得培训计划): a day in the classroom with their leader, three
    days in the workshop with the unit manager, a day on the job with a regional director. People
    work Monday to Friday in Shanghai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.weekdays = env["resource.calendar"].create({
            "name": "T Weekdays", "tz": "Asia/Shanghai", "attendance_ids": [Command.create({
                "name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17,
            }) for day in range(5)],
        })
        cls.env["resource.resource"].create([
            {"name": person.name, "user_id": person.id, "calendar_id": cls.weekdays.id} for person in cls.people])
        cls.sales_admin = new_test_user(env, login="t_training_admin", name="T Training Admin",
                                        groups="sales_team.group_sale_manager")
        cls.program = env["sales.training.program"].create({
            "name": "Order clerk training", "role_id": cls.role_clerk.id,
            "step_ids": [Command.create(values) for values in [
                {"sequence": 1, "name": "Company and products", "step_type": "classroom", "day_offset": 0,
                 "duration_days": 1, "trainer": "leader"},
                {"sequence": 2, "name": "Production workshop", "step_type": "workshop", "day_offset": 1,
                 "duration_days": 3, "trainer": "unit_manager", "assessment": "Five questions on the range"},
                {"sequence": 3, "name": "Orders on the job", "step_type": "field", "day_offset": 4,
                 "duration_days": 1, "trainer": "role", "trainer_role_id": cls.role_regional.id},
            ]],
        })
        cls.Enrolment = env["sales.training.enrolment"]

    def enrol(self, user, date_start, program=None, by=None):
        return self.Enrolment.with_user(by or self.manager).create({
            "user_id": user.id, "program_id": (program or self.program).id, "date_start": date_start,
        }).sudo()

    def sign_off(self, step, user, result="passed", comment=False):
        step.with_user(user).action_sign_off(result, comment)

    def go_through(self, step, trainer):
        step.with_user(step.user_id).action_start()
        step.with_user(step.user_id).action_mark_done()
        self.sign_off(step, trainer)


@tagged("post_install", "-at_install")
class TestSalesTraining(TrainingCommon):

    def test_steps_planned_over_working_days_with_their_trainers(self):
        # Monday 7 December is a public holiday; the clerk is on leave Thursday 10 December
        self.env["resource.calendar.leaves"].create([{
            "name": "T Holiday", "date_from": datetime(2026, 12, 6, 16), "date_to": datetime(2026, 12, 7, 15, 59),
        }, {
            "name": "T Leave", "resource_id": self.clerk_east.resource_ids.id, "calendar_id": self.weekdays.id,
            "date_from": datetime(2026, 12, 10, 0), "date_to": datetime(2026, 12, 10, 10),
        }])
        enrolment = self.enrol(self.clerk_east, date(2026, 12, 3))  # a Thursday
        self.assertRecordValues(enrolment, [{
            "state": "planned", "team_id": self.east_business.id, "company_id": self.env.company.id,
            "progress": 0.0,
        }])
        self.assertRecordValues(enrolment.step_ids, [
            {"sequence": 1, "step_type": "classroom", "date_start": date(2026, 12, 3), "date_end": date(2026, 12, 3),
             "trainer_id": self.manager.id, "state": "todo"},
            # three days from Friday: the weekend and the holiday skipped
            {"sequence": 2, "step_type": "workshop", "date_start": date(2026, 12, 4), "date_end": date(2026, 12, 9),
             "trainer_id": self.manager.id, "state": "todo"},
            # the fifth working day is the clerk's day off: the next one
            {"sequence": 3, "step_type": "field", "date_start": date(2026, 12, 11), "date_end": date(2026, 12, 11),
             "trainer_id": self.regional_east.id, "state": "todo"},
        ])
        first = enrolment.step_ids[0]
        self.assertEqual(sorted(first.activity_ids.mapped("user_id.id")), sorted((self.clerk_east | self.manager).ids))
        self.assertFalse(enrolment.step_ids[1:].activity_ids, "only the current step is given out")
        self.assertEqual(self.Enrolment._incomplete_user_ids({self.clerk_east.id, self.rep_north.id}),
                         {self.clerk_east.id})

    def test_order_and_sign_off_enforced(self):
        enrolment = self.enrol(self.clerk_east, date(2026, 3, 2))
        first, workshop, job = enrolment.step_ids
        clerk_steps = enrolment.step_ids.with_user(self.clerk_east)
        with self.assertRaisesRegex(UserError, "Company and products"):
            clerk_steps[1].action_start()
        with self.assertRaises(AccessError):  # not theirs: neither trainee nor trainer
            first.with_user(self.supervisor).action_start()
        with self.assertRaises(UserError):  # not started yet
            clerk_steps[0].action_mark_done()
        clerk_steps[0].action_start()
        self.assertEqual((first.state, enrolment.state), ("in_progress", "in_progress"))
        with self.assertRaises(AccessError):  # only the trainee says it is done
            first.with_user(self.manager).action_mark_done()
        clerk_steps[0].action_mark_done()
        with self.assertRaises(AccessError):  # nobody signs off their own training
            self.sign_off(first, self.clerk_east)
        with self.assertRaises(AccessError):  # not above the clerk
            self.sign_off(first, self.rep_north)
        with self.assertRaises(UserError):
            self.sign_off(first, self.manager, "maybe")
        with self.assertRaises(UserError):  # failing needs a reason
            self.sign_off(first, self.manager, "failed")
        self.assertEqual(first.state, "done")

        self.sign_off(first, self.manager, "failed", "Learn the product codes")
        self.assertRecordValues(first, [{"state": "todo", "attempt": 2, "result": "failed",
                                         "result_comment": "Learn the product codes", "signed_by_id": self.manager.id}])
        self.assertIn("Learn the product codes", first.message_ids[0].body)
        self.assertIn(self.clerk_east, first.activity_ids.user_id, "the trainee has the step to do again")
        self.go_through(first, self.manager)
        self.assertEqual(first.state, "passed")
        self.assertFalse(first.activity_ids)
        self.assertEqual(sorted(workshop.activity_ids.user_id.ids), sorted((self.clerk_east | self.manager).ids))
        self.assertAlmostEqual(enrolment.progress, 100 / 3, places=2)

        self.go_through(workshop, self.director)  # a leader above signs off as well
        job.with_user(self.clerk_east).action_start()
        job.with_user(self.clerk_east).action_mark_done()
        self.sign_off(job, self.sales_admin)
        self.assertRecordValues(enrolment, [{"state": "done", "progress": 100.0,
                                             "date_done": self.env.company._sales_org_today()}])
        self.assertEqual(self.Enrolment._incomplete_user_ids([self.clerk_east.id]), set())
        with self.assertRaises(UserError):
            job.with_user(self.clerk_east).action_start()

    def test_a_leader_never_signs_off_their_own_training(self):
        self.supervisor.groups_id |= self.env.ref("sales_team.group_sale_manager")
        enrolment = self.enrol(self.supervisor, date(2026, 3, 2))
        step = enrolment.step_ids[0]
        self.assertEqual(step.trainer_id, self.manager)
        step.with_user(self.supervisor).action_start()
        step.with_user(self.supervisor).action_mark_done()
        self.assertFalse(step.with_user(self.supervisor).can_sign_off)
        with self.assertRaises(AccessError):
            self.sign_off(step, self.supervisor)
        self.assertEqual(step.state, "done")

    def test_bad_input_refused_with_nothing_written(self):
        Step = self.env["sales.training.program.step"]
        count = Step.search_count([])
        for values in ({"day_offset": -1}, {"duration_days": 0}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Step.with_user(self.sales_admin).create(dict(values, program_id=self.program.id, name="Bad"))
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.program.step_ids[0].with_user(self.sales_admin).write(values)
        self.assertEqual(Step.search_count([]), count)
        self.assertEqual(self.program.step_ids.mapped("duration_days"), [1, 3, 1])
        with self.assertRaises(ValidationError):
            self.env["sales.training.program"].create({"name": "Second", "role_id": self.role_clerk.id})

        count = self.Enrolment.search_count([])
        with self.assertRaisesRegex(ValidationError, "joined"):
            self.enrol(self.clerk_east, date(2025, 12, 31))
        with self.assertRaises(UserError):  # nobody enrols themselves
            self.enrol(self.manager, date(2026, 3, 2))
        with self.assertRaises(AccessError):  # the rep is not above the clerk
            self.enrol(self.clerk_east, date(2026, 3, 2), by=self.rep_shanghai)
        with self.assertRaises(AccessError):  # another unit's regional director
            self.enrol(self.clerk_east, date(2026, 3, 2), by=self.regional_north)
        self.assertEqual(self.Enrolment.search_count([]), count)
        enrolment = self.enrol(self.clerk_east, date(2026, 3, 2))
        with self.assertRaisesRegex(ValidationError, "already follows"):
            self.enrol(self.clerk_east, date(2026, 3, 3))
        for values in ({"state": "done"}, {"date_start": "2026-03-09"}, {"progress": 100}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                enrolment.with_user(self.sales_admin).write(values)
        with self.assertRaises(AccessError):
            enrolment.step_ids[0].with_user(self.sales_admin).write({"state": "passed"})
        # T2's entry point skips who already follows the programme
        self.assertFalse(self.Enrolment._enrol([{
            "user_id": self.clerk_east.id, "program_id": self.program.id, "team_id": self.east_business.id,
            "date_start": date(2026, 3, 2), "company_id": self.env.company.id}]))
        enrolment.with_user(self.manager).action_cancel()
        self.assertEqual(enrolment.state, "cancelled")
        self.assertFalse(enrolment.step_ids.activity_ids)

    def test_access_per_role(self):
        enrolment = self.enrol(self.clerk_east, date(2026, 3, 2))
        # a rep's programme whose practice is led by an order clerk of the unit above
        rep_program = self.env["sales.training.program"].create({
            "name": "Rep training", "role_id": self.role_rep.id, "step_ids": [Command.create({
                "name": "Follow an order", "trainer": "role", "trainer_role_id": self.role_clerk.id})],
        })
        rep_enrolment = self.enrol(self.rep_shanghai, date(2026, 3, 2), program=rep_program, by=self.supervisor)
        rep_step = rep_enrolment.step_ids
        self.assertEqual(rep_step.trainer_id, self.clerk_east)
        for person, sees in [(self.clerk_east, True), (self.manager, True), (self.regional_east, True),
                             (self.director, True), (self.sales_admin, True), (self.rep_north, False),
                             (self.regional_north, False), (self.rep_shanghai, False)]:
            with self.subTest(person=person.login):
                self.assertEqual(bool(self.Enrolment.with_user(person).search([("id", "=", enrolment.id)])), sees)
                if not sees:
                    with self.assertRaises(AccessError):
                        enrolment.with_user(person).read(["progress"])
                    with self.assertRaises(AccessError):
                        enrolment.step_ids[:1].with_user(person).read(["state"])
        # the trainer reads and signs off the step they lead, not the rest of the training
        rep_step.with_user(self.clerk_east).read(["state"])
        with self.assertRaises(AccessError):
            rep_enrolment.with_user(self.clerk_east).read(["progress"])
        rep_step.with_user(self.rep_shanghai).action_start()
        rep_step.with_user(self.rep_shanghai).action_mark_done()
        self.sign_off(rep_step, self.clerk_east)
        self.assertEqual(rep_enrolment.state, "done")
        self.assertTrue(self.env["sales.training.program"].with_user(self.rep_north).search([]))
        # the materials of a step, uploaded in the programme's form before the step was saved
        material = self.env["ir.attachment"].with_user(self.sales_admin).create({
            "name": "catalogue.pdf", "raw": b"%PDF", "res_model": "sales.training.program.step", "res_id": 0})
        self.program.step_ids[1].with_user(self.sales_admin).attachment_ids = material
        self.assertEqual(enrolment.step_ids[1].with_user(self.clerk_east).attachment_ids.name, "catalogue.pdf")
        self.assertEqual(material.with_user(self.clerk_east).raw, b"%PDF")
        with self.assertRaises(AccessError):
            self.program.with_user(self.manager).write({"name": "Mine"})


@tagged("post_install", "-at_install")
class TestSalesTrainingRhythm(TrainingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.active = False  # enrolled by the tests, not on joining
        cls.newcomers = cls.env["res.users"]
        for index in range(9):
            cls.newcomers |= new_test_user(cls.env, login=f"t_newcomer_{index}", name=f"T Newcomer {index}",
                                           groups="base.group_user", email=f"t_newcomer_{index}@example.com")
        cls.env["crm.team.member"].create([{"crm_team_id": cls.east_business.id, "user_id": user.id,
                                            "role_id": cls.role_clerk.id} for user in cls.newcomers])
        cls.program.active = True
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sales_org_assignment SET date_from = '2026-01-01' WHERE date_to IS NULL")
        cls.today = cls.env.company._sales_org_today()

    def enrol_all(self, people):
        return self.Enrolment._enrol([{
            "user_id": user.id, "program_id": self.program.id, "team_id": self.east_business.id,
            "date_start": self.today - timedelta(days=60), "company_id": self.env.company.id,
        } for user in people])

    def test_enrol_in_constant_queries(self):
        self.enrol_all(self.newcomers[:1])  # caches warm
        for people in (self.newcomers[1:3], self.newcomers[3:9]):
            self.env.invalidate_all()
            with self.assertQueryCount(32):
                enrolments = self.enrol_all(people)
            self.assertEqual(len(enrolments.step_ids.activity_ids), 2 * len(people))

    def test_overdue_reminded_once_in_constant_queries(self):
        Mail = self.env["mail.mail"]
        self.enrol_all(self.newcomers[:1])
        self.Enrolment._remind_overdue_steps(self.env.company, self.today)  # caches warm
        # the current step only (the next ones wait for it): the newcomer and the manager, once
        self.assertEqual(Mail.search_count([("email_to", "ilike", "t_newcomer_0")]), 1)
        for people in (self.newcomers[1:3], self.newcomers[3:9]):
            self.enrol_all(people)
            self.env.invalidate_all()
            with self.assertQueryCount(11):
                self.Enrolment._remind_overdue_steps(self.env.company, self.today)
        count = Mail.search_count([])
        self.Enrolment._remind_overdue_steps(self.env.company, self.today)
        self.assertEqual(Mail.search_count([]), count, "reminded once")
        step = self.Enrolment.search([("user_id", "=", self.newcomers[0].id)]).step_ids[0]
        self.assertTrue(step.is_overdue)
        self.assertIn(step, self.env["sales.training.enrolment.step"].search([("is_overdue", "=", True)]))
        step.with_user(self.newcomers[0]).action_start()
        step.with_user(self.newcomers[0]).action_mark_done()
        last = max(Mail.search([]).ids)
        self.Enrolment._remind_overdue_steps(self.env.company, self.today)
        mails = Mail.search([("id", ">", last)])
        self.assertEqual(len(mails), 1, "marked done: its trainer only, to sign it off")
        self.assertIn("t_manager", mails.email_to)
