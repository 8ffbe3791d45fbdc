from . import test_sales_org_access
from . import test_sales_org_tree
from . import test_sales_org_role
from . import test_sales_org_region
from . import test_sales_org_performance
from . import test_sales_org_i18n
from . import test_sales_daily_report
from . import test_sales_daily_rhythm
