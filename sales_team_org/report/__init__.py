from . import sales_org_figure
from . import sale_report
from . import crm_activity_report
from . import sales_meeting_report
from . import sales_target_analysis
from . import sales_collection_report
from . import sales_complaint_report
