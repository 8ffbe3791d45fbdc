from odoo import models

from ..models.sales_org_guard import trusted_fields


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # Merging contacts carries every field over, the classification too: that is Odoo's
        # merge writing it, not a user classifying by hand.
        with trusted_fields({"sales_classification"}):
            return super()._update_values(src_partners, dst_partner)
