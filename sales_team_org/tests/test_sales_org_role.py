from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgRole(SalesOrgCommon):

    def test_role_change_updates_access_both_ways(self):
        membership = self.env["crm.team.member"].search([("user_id", "=", self.rep_shanghai.id)])
        Lead = self.env["crm.lead"].with_user(self.rep_shanghai)
        all_leads = self.leads_of(*self.people)
        self.assertEqual(Lead.search([("id", "in", all_leads.ids)]), self.leads[self.rep_shanghai])

        membership.role_id = self.role_supervisor  # promoted: leads the Shanghai group
        self.assertTrue(self.rep_shanghai.has_group("sales_team_org.group_sale_unit_leader"))
        self.assertEqual(
            Lead.search([("id", "in", all_leads.ids)]), self.leads_of(self.supervisor, self.rep_shanghai)
        )

        membership.role_id = self.role_rep  # back to rep
        self.assertFalse(self.rep_shanghai.has_group("sales_team_org.group_sale_unit_leader"))
        self.assertTrue(self.rep_shanghai.has_group("sales_team.group_sale_salesman"))
        self.assertEqual(Lead.search([("id", "in", all_leads.ids)]), self.leads[self.rep_shanghai])

        membership.role_id = self.role_director
        self.assertTrue(self.rep_shanghai.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertEqual(Lead.search([("id", "in", all_leads.ids)]), all_leads)

        membership.role_id = False  # role taken away: no sales access left
        self.assertFalse(self.rep_shanghai.has_group("sales_team.group_sale_salesman"))

    def test_leaving_the_unit_removes_access(self):
        membership = self.env["crm.team.member"].search([("user_id", "=", self.supervisor.id)])
        membership.action_archive()
        self.assertFalse(self.supervisor.has_group("sales_team.group_sale_salesman"))

    def test_role_access_level_change_applies_to_holders(self):
        self.role_rep.access_level = "unit"
        self.assertTrue(self.rep_north.has_group("sales_team_org.group_sale_unit_leader"))
        self.role_rep.access_level = "own"
        self.assertFalse(self.rep_north.has_group("sales_team_org.group_sale_unit_leader"))

    def test_highest_role_wins(self):
        self.env["res.config.settings"].create({"is_membership_multi": True}).execute()
        self.env["crm.team.member"].create({
            "crm_team_id": self.north.id, "user_id": self.clerk_east.id, "role_id": self.role_regional.id,
        })
        self.assertTrue(self.clerk_east.has_group("sales_team_org.group_sale_unit_leader"))
        all_leads = self.leads_of(*self.people)
        visible = self.env["crm.lead"].with_user(self.clerk_east).search([("id", "in", all_leads.ids)])
        self.assertEqual(visible, self.leads_of(self.clerk_east, self.regional_north, self.rep_north))

    def test_sales_administrator_keeps_configuration_rights(self):
        admin = self.env["res.users"].create({
            "name": "Admin", "login": "t_sales_admin",
            "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])],
        })
        self.env["crm.team.member"].create({
            "crm_team_id": self.north.id, "user_id": admin.id, "role_id": self.role_rep.id,
        })
        self.assertTrue(admin.has_group("sales_team.group_sale_manager"))
        self.assertTrue(admin.has_group("sales_team.group_sale_salesman_all_leads"))
        all_leads = self.leads_of(*self.people)
        self.assertEqual(self.env["crm.lead"].with_user(admin).search([("id", "in", all_leads.ids)]), all_leads)

    def test_role_cannot_report_to_itself(self):
        with self.assertRaises(ValidationError):
            self.role_director.parent_id = self.role_rep

    def test_role_headcount_and_duties(self):
        self.role_rep.duty_ids = [(0, 0, {"name": "Visit customers", "sequence": 2}),
                                  (0, 0, {"name": "Fill the daily report", "sequence": 1})]
        self.assertEqual(self.role_rep.duty_ids.mapped("name"), ["Fill the daily report", "Visit customers"])
        self.assertEqual(self.role_rep.actual_headcount, 2)
        self.env["sales.org.headcount"].create({"team_id": self.north.id, "role_id": self.role_rep.id, "planned_count": 4})
        self.assertEqual(self.role_rep.planned_headcount, 4)
