from odoo.tests import HttpCase, tagged

from .test_sales_business_trip import BusinessTripCommon

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestSalesBusinessTripTour(HttpCase, BusinessTripCommon):
    """On a phone, the rep asks for a trip and submits it; their supervisor approves it
    (static/tests/tours/sales_business_trip_tour.js)."""

    def test_rep_asks_manager_approves_on_a_phone(self):
        self.browser_size = PHONE
        self.touch_enabled = True
        self.speak_chinese()  # as the company's reps and leaders use it
        self.start_tour("/odoo", "sales_team_org_business_trip_request_zh_CN", login="t_rep_shanghai")
        trip = self.env["sales.business.trip"].search([("user_id", "=", self.rep_shanghai.id)])
        self.assertRecordValues(trip, [{
            "name": "Visit the customers of Suzhou", "cities": "Suzhou", "state": "submitted",
            "approver_id": self.supervisor.id, "budget": 600.0, "team_id": self.shanghai.id,
        }])
        self.assertEqual(trip.day_count, 3)
        self.assertRecordValues(trip.visit_ids, [{"partner_id": self.customer.id, "purpose": "Show the new gate"}])
        self.start_tour("/odoo", "sales_team_org_business_trip_approval_zh_CN", login="t_supervisor")
        self.assertRecordValues(trip, [{"state": "approved", "reviewer_id": self.supervisor.id}])
