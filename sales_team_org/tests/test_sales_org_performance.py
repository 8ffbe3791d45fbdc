from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install", "sales_team_org_perf")
class TestSalesOrgPerformance(SalesOrgCommon):
    """A leader's lead list costs the same number of queries whatever lies below them."""

    def grow_tree(self, under, units, people_per_unit):
        """Add `units` sub-units (in a chain of two levels) with reps and their leads."""
        Team = self.env["crm.team"]
        parents = Team.create([{"name": f"Grown {under.name} {i}", "parent_id": under.id} for i in range(units)])
        children = Team.create([{"name": f"{p.name} / sub", "parent_id": p.id} for p in parents])
        reps = self.env["res.users"].create([
            {"name": f"Rep {under.id}-{i}", "login": f"t_grow_{under.id}_{i}"}
            for i in range(units * 2 * people_per_unit)
        ])
        teams = (parents | children)
        self.env["crm.team.member"].create([
            {"crm_team_id": teams[i % len(teams)].id, "user_id": rep.id, "role_id": self.role_rep.id}
            for i, rep in enumerate(reps)
        ])
        self.env["crm.lead"].create([{"name": f"Lead {rep.login}", "user_id": rep.id} for rep in reps])

    def search_leads_cold(self, user, expected_queries):
        """Search as `user` with every cache dropped, counting the queries."""
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        with self.assertQueryCount(expected_queries):
            self.env["crm.lead"].with_user(user).search([], limit=80)

    def test_leader_lead_search_query_count(self):
        self.search_leads_cold(self.regional_east, 12)
        self.grow_tree(self.east_business, units=15, people_per_unit=3)
        self.search_leads_cold(self.regional_east, 12)
        self.grow_tree(self.shanghai, units=40, people_per_unit=2)
        self.search_leads_cold(self.regional_east, 12)
