from datetime import date

from odoo.tests import HttpCase, tagged

from .test_sales_training import TrainingCommon

PHONE = "390x844"
STEPS_URL = "/odoo/action-sales_team_org.sales_training_enrolment_step_action"


@tagged("post_install", "-at_install")
class TestSalesTrainingTour(HttpCase, TrainingCommon):
    """On a phone, in 简体中文, the new clerk marks the workshop step done and the business manager
    signs it off (static/tests/tours/sales_training_tour.js)."""

    def test_clerk_marks_workshop_done_manager_signs_off(self):
        self.browser_size = PHONE
        self.touch_enabled = True
        self.speak_chinese()
        self.program.step_ids[1].with_context(lang="zh_CN").name = "到生产车间学习产品知识"
        enrolment = self.enrol(self.clerk_east, date(2026, 3, 2))
        first, workshop = enrolment.step_ids[:2]
        self.assertEqual(workshop.name, "到生产车间学习产品知识")
        self.go_through(first, self.manager)
        self.start_tour(STEPS_URL, "sales_team_org_training_step_done", login="t_clerk_east")
        self.assertEqual(workshop.state, "done")
        self.start_tour(STEPS_URL, "sales_team_org_training_step_sign_off", login="t_manager")
        self.assertRecordValues(workshop, [{"state": "passed", "signed_by_id": self.manager.id,
                                            "result_comment": "产品知识掌握扎实"}])
        self.assertAlmostEqual(enrolment.progress, 200 / 3, places=2)
