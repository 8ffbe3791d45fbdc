from . import sales_customer_classify
from . import sales_daily_report_export
from . import base_partner_merge_automatic_wizard
from . import sales_training_sign_off
from . import sales_target_unlock
from . import sales_target_breakdown
from . import sales_target_breakdown_line
from . import sales_target_export
