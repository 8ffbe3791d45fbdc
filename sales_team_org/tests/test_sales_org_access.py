from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgAccess(SalesOrgCommon):

    def expected_scope(self):
        """Whose records each person may see, by the access model of DESIGN.md."""
        east_subtree = (self.regional_east, self.manager, self.clerk_east, self.supervisor, self.rep_shanghai)
        return {
            self.director: tuple(self.people),
            self.regional_east: east_subtree,
            self.regional_north: (self.regional_north, self.rep_north),
            self.manager: (self.manager, self.clerk_east, self.supervisor, self.rep_shanghai),
            self.supervisor: (self.supervisor, self.rep_shanghai),
            self.rep_shanghai: (self.rep_shanghai,),
            self.clerk_east: (self.clerk_east,),
            self.rep_north: (self.rep_north,),
        }

    def test_groups_follow_roles(self):
        self.assertTrue(self.director.has_group("sales_team.group_sale_salesman_all_leads"))
        for leader in (self.regional_east, self.manager, self.supervisor):
            self.assertTrue(leader.has_group("sales_team_org.group_sale_unit_leader"))
            self.assertFalse(leader.has_group("sales_team.group_sale_salesman_all_leads"))
        for rep in (self.rep_shanghai, self.clerk_east, self.rep_north):
            self.assertTrue(rep.has_group("sales_team.group_sale_salesman"))
            self.assertFalse(rep.has_group("sales_team_org.group_sale_unit_leader"))

    def test_lead_visibility(self):
        all_leads = self.leads_of(*self.people)
        for person, scope in self.expected_scope().items():
            with self.subTest(person=person.login):
                visible = self.env["crm.lead"].with_user(person).search([("id", "in", all_leads.ids)])
                self.assertEqual(visible, self.leads_of(*scope))

    def test_order_visibility(self):
        all_orders = self.orders_of(*self.people)
        for person, scope in self.expected_scope().items():
            with self.subTest(person=person.login):
                Order = self.env["sale.order"].with_user(person)
                self.assertEqual(Order.search([("id", "in", all_orders.ids)]), self.orders_of(*scope))
                lines = self.env["sale.order.line"].with_user(person).search([("order_id", "in", all_orders.ids)])
                self.assertEqual(lines.order_id, self.orders_of(*scope))

    def test_sales_analysis_visibility(self):
        call = self.env.ref("mail.mail_activity_data_call")
        self.env["mail.message"].create([{
            "model": "crm.lead", "res_id": lead.id, "body": "Called", "message_type": "notification",
            "mail_activity_type_id": call.id, "subtype_id": self.env.ref("mail.mt_activities").id,
        } for lead in self.leads.values()])
        self.env.flush_all()
        for person, scope in self.expected_scope().items():
            with self.subTest(person=person.login):
                rows = self.env["sale.report"].with_user(person).search([("user_id", "in", self.people.ids)])
                self.assertEqual(rows.user_id, self.env["res.users"].union(*scope))
                activities = self.env["crm.activity.report"].with_user(person).search(
                    [("user_id", "in", self.people.ids)])
                self.assertEqual(activities.user_id, self.env["res.users"].union(*scope))

    def test_outside_scope_is_refused(self):
        for person, scope in self.expected_scope().items():
            others = [p for p in self.people if p not in scope]
            for other in others:
                for record in (self.leads[other], self.orders[other]):
                    with self.subTest(person=person.login, record=record.display_name):
                        record = record.with_user(person)
                        with self.assertRaises(AccessError):
                            record.read(["name"])
                        with self.assertRaises(AccessError):
                            record.write({"note" if record._name == "sale.order" else "description": "x"})
                        with self.assertRaises(AccessError):
                            record.unlink()

    def test_leader_may_change_subtree_records(self):
        lead = self.leads[self.rep_shanghai].with_user(self.supervisor)
        lead.write({"priority": "2"})
        self.assertEqual(lead.priority, "2")
        lead = self.leads[self.rep_shanghai].with_user(self.regional_east)
        lead.write({"priority": "3"})
        self.assertEqual(lead.priority, "3")
        order = self.orders[self.clerk_east].with_user(self.manager)
        order.write({"note": "Checked by the manager"})
        self.assertEqual(order.team_id, self.east_business)
