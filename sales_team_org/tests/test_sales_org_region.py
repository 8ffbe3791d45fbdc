from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgRegion(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shanghai_state = cls.env.ref("base.state_cn_SH")
        cls.jiangsu = cls.env.ref("base.state_cn_JS")
        cls.hubei = cls.env.ref("base.state_cn_HB")
        # out of any region they are in (the demo's), as the sales administrator would take them
        for region, states in (cls.shanghai_state | cls.jiangsu | cls.hubei).grouped("sales_region_id").items():
            if region:
                region.state_ids = [Command.unlink(state.id) for state in states]
        cls.region = cls.env["sales.org.region"].create({
            "name": "T East China", "code": "T-E",
            "state_ids": [(6, 0, (cls.shanghai_state | cls.jiangsu).ids)],
        })
        cls.east.region_id = cls.region
        cls.east_business.region_id = cls.region

    def test_partner_and_lead_take_region_from_province(self):
        partner = self.env["res.partner"].create({"name": "Shanghai Gates", "state_id": self.shanghai_state.id})
        self.assertEqual(partner.sales_region_id, self.region)
        lead = self.env["crm.lead"].create({"name": "Gate", "state_id": self.jiangsu.id, "user_id": self.rep_north.id})
        self.assertEqual(lead.sales_region_id, self.region)
        # a province moved to another region moves its customers and leads
        other = self.env["sales.org.region"].create({"name": "T Other", "code": "T-O"})
        self.region.state_ids = [Command.unlink(self.jiangsu.id)]
        other.state_ids = [Command.link(self.jiangsu.id)]
        self.assertEqual(lead.sales_region_id, other)
        self.assertEqual(partner.sales_region_id, self.region)

    def test_region_routes_unassigned_leads_to_its_unit(self):
        self.assertEqual(self.region.routing_team_id, self.east)
        lead = self.env["crm.lead"].create({"name": "Nobody's", "state_id": self.shanghai_state.id, "user_id": False})
        self.assertEqual(lead.team_id, self.east)
        owned = self.env["crm.lead"].create({"name": "Rep's", "state_id": self.shanghai_state.id, "user_id": self.rep_north.id})
        self.assertEqual(owned.team_id, self.north)
        # the regional director now sees the routed lead
        self.assertIn(lead, self.env["crm.lead"].with_user(self.regional_east).search([("id", "=", lead.id)]))

    def test_route_existing_leads(self):
        lead = self.env["crm.lead"].create({"name": "Old", "user_id": False, "team_id": self.north.id})
        lead.state_id = self.jiangsu
        lead.action_route_to_region()
        self.assertEqual(lead.team_id, self.east)

    # ------------------------------------------------------------------
    # Provinces without a region
    # ------------------------------------------------------------------

    def test_provinces_without_a_region_are_listed(self):
        action = self.env["sales.org.region"].with_user(self.regional_east).action_view_provinces_without_region()
        self.assertEqual(action["res_model"], "res.country.state")
        listed = self.env["res.country.state"].search(action["domain"])
        self.assertIn(self.hubei, listed)
        self.assertNotIn(self.shanghai_state, listed)
        self.assertEqual(listed.country_id, self.env.ref("base.cn"), "the provinces of the regions' countries")
        # a province taken out of its region is listed again
        self.region.state_ids = [Command.unlink(self.jiangsu.id)]
        self.assertIn(self.jiangsu, self.env["res.country.state"].search(action["domain"]))

    def set_default_unit(self, unit):
        settings = self.env["res.config.settings"].create({"sales_org_default_team_id": unit.id})
        settings.execute()

    def test_leads_of_a_province_without_region_go_to_the_default_unit(self):
        self.set_default_unit(self.north)
        self.assertEqual(self.env.company.sales_org_default_team_id, self.north)
        self.assertEqual(self.env["res.config.settings"].create({}).sales_org_default_team_id, self.north)
        Lead = self.env["crm.lead"].with_user(self.rep_shanghai)
        lead = Lead.create({"name": "Wuhan Gates", "state_id": self.hubei.id, "user_id": False})
        self.assertEqual(lead.team_id, self.north)
        # a region's province still goes to the region's unit, a salesperson's lead stays theirs
        self.assertEqual(Lead.create({"name": "Shanghai", "state_id": self.shanghai_state.id,
                                      "user_id": False}).team_id, self.east)
        owned = Lead.create({"name": "Own", "state_id": self.hubei.id, "user_id": self.rep_shanghai.id})
        self.assertEqual(owned.team_id, self.shanghai)
        # a lead moved to such a province, or routed again from the list
        moved = self.env["crm.lead"].create({"name": "Moved", "user_id": False, "team_id": self.east.id,
                                             "state_id": self.jiangsu.id})
        moved.write({"state_id": self.hubei.id, "team_id": False})
        self.assertEqual(moved.team_id, self.north)
        stale = self.env["crm.lead"].create({"name": "Stale", "user_id": False, "team_id": self.east.id})
        stale.state_id = self.hubei
        stale.action_route_to_region()
        self.assertEqual(stale.team_id, self.north)
        # without a default unit, nothing is routed
        self.set_default_unit(self.env["crm.team"])
        self.assertFalse(Lead.create({"name": "Nobody's", "state_id": self.hubei.id, "user_id": False}).team_id)

    def test_the_default_unit_is_one_of_the_company(self):
        self.set_default_unit(self.north)
        other = self.env["res.company"].create({"name": "T Other Company"})
        far_unit = self.env["crm.team"].create({"name": "T Far Unit", "company_id": other.id})
        with self.assertRaises(ValidationError) as refusal:
            self.set_default_unit(far_unit)
        self.assertIn("T Far Unit belongs to T Other Company", str(refusal.exception))
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.sales_org_default_team_id, self.north)
